package dev.digits.jobs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The port to wherever jobs are kept: files for one process, or PostgreSQL for any number of
 * replicas. The store is the truth: a job is stored before it is acknowledged, and every replica
 * answers from the store.
 *
 * <p>A trainer {@link #claim claims} a job with a lease and {@link #renew renews} it while it
 * trains. A job whose lease ran out (its trainer died) can be claimed again, and resumes from the
 * checkpoint its last trainer stored.
 */
public interface JobRepository {

    /**
     * Stores a new job. If its idempotency key belongs to a stored job, stores nothing and answers
     * that job instead.
     */
    Job insert(Job job);

    /**
     * Replaces the stored job with the same id, if {@code trainer} holds it: it claimed the job and no
     * other trainer has claimed it since (which needs the first one's lease to have run out).
     *
     * @return false if another trainer holds the job now: nothing was stored, and this one must stop
     *         working on it and store nothing more of it
     */
    boolean save(Job job, String trainer);

    Optional<Job> find(String id);

    Optional<Job> findByIdempotencyKey(String key);

    /** Jobs newest first, of one state or (null) all. */
    JobPage page(JobState state, int page, int size);

    /** How many jobs are in each state. */
    Map<JobState, Long> countByState();

    /**
     * Takes the oldest job that is queued, or running without a live lease, for {@code trainer},
     * leased for {@code lease}. A job that needs a GPU is only taken when {@code gpu} is true.
     *
     * @return the job as stored (the caller records that it is running)
     */
    Optional<Job> claim(String trainer, Duration lease, boolean gpu);

    /**
     * Extends {@code trainer}'s lease on a job.
     *
     * @return false if the trainer no longer holds it: it must stop working on it
     */
    boolean renew(String id, String trainer, Duration lease);

    /** Gives up {@code trainer}'s lease, so that the job can be claimed at once (after a shutdown). */
    void release(String id, String trainer);

    /**
     * Cancels a job that is queued and not claimed: stores {@code cancelled} in its place.
     *
     * @return false if the job was not queued or a trainer holds it
     */
    boolean cancelQueued(Job cancelled);

    /** Records that a running job should stop; the trainer running it checks. */
    void requestCancel(String id);

    boolean cancelRequested(String id);

    /**
     * Whether several replicas share this store. A store of one replica refuses jobs that no
     * trainer of its own would run; a shared one accepts them for the trainers of the others.
     */
    boolean shared();

    /**
     * A local folder holding the job's latest stored checkpoint, where training writes the next
     * ones (a remote store downloads the checkpoint first).
     */
    Path checkpoints(String id);

    /**
     * Keeps the checkpoint just written in {@link #checkpoints} where another trainer can resume from
     * it, if {@code trainer} holds the job (as for {@link #save}).
     *
     * @return false if another trainer holds the job now: its checkpoint record is left as it is
     */
    boolean storeCheckpoint(String id, String trainer);

    void deleteCheckpoints(String id);
}
