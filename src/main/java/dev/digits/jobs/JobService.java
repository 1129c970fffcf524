package dev.digits.jobs;

import ai.djl.Device;
import dev.digits.datasets.DatasetRepository;
import dev.digits.problems.OverloadedException;
import dev.digits.registry.ModelRegistry;
import dev.digits.registry.UnknownModelException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * What the jobs API does: accepts, lists, cancels and follows jobs. Every answer comes from the
 * store, so every replica sharing it gives the same one; {@link JobRunner} trains them.
 */
@Service
public class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    private final JobRepository repository;
    private final JobProperties properties;
    private final ModelRegistry registry;
    private final DatasetRepository datasets;
    private final JobEvents events;
    private final JobRunner runner;
    private final boolean gpu;

    JobService(JobRepository repository, JobProperties properties, ModelRegistry registry, DatasetRepository datasets,
               JobEvents events, JobRunner runner, Device device) {
        this.repository = repository;
        this.properties = properties;
        this.registry = registry;
        this.datasets = datasets;
        this.events = events;
        this.runner = runner;
        this.gpu = device.isGpu();
    }

    /**
     * Accepts a job: it is stored before this returns. With an idempotency key already seen, returns
     * that job instead of a new one.
     */
    public Job submit(JobRequest request, String idempotencyKey) {
        if (idempotencyKey != null) {
            Optional<Job> earlier = repository.findByIdempotencyKey(idempotencyKey);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        if (properties.concurrent() == 0 && !repository.shared()) {
            throw new OverloadedException("this replica does not run jobs (digits.jobs.concurrent=0); send them to the trainer",
                    Duration.ofSeconds(60));
        }
        // A shared store may have trainers with GPUs elsewhere; a replica alone needs one itself.
        JobRequest complete = JobDefaults.complete(request, datasets::exists, this::modelExists,
                gpu || repository.shared());
        if (repository.countByState().getOrDefault(JobState.QUEUED, 0L) >= properties.queueCapacity()) {
            throw new OverloadedException("the job queue is full (" + properties.queueCapacity() + " jobs)",
                    Duration.ofSeconds(60));
        }
        String parent = complete.type() == JobType.FINE_TUNE ? registry.resolve(complete.baseModel()) : null;
        Job job = repository.insert(new Job(newId(), complete, parent, JobState.QUEUED, Instant.now(), null, null, null,
                null, List.of(), null, idempotencyKey, 0, null));
        events.publish(new JobEvent("state", job));
        log.info("job {} accepted: {} on {}", job.id(), complete.type(), complete.dataset());
        return job;
    }

    public Job get(String id) {
        return repository.find(id).orElseThrow(() -> new UnknownJobException(id));
    }

    /** Jobs newest first, optionally of one state. */
    public JobPage list(JobState state, int page, int size) {
        return repository.page(state, page, size);
    }

    /** A queued job is cancelled at once; a running one stops before its next batch, wherever it runs. */
    public Job cancel(String id) {
        Job job = get(id);
        if (job.state() == JobState.QUEUED) {
            Job cancelled = job.cancelled(Instant.now());
            if (repository.cancelQueued(cancelled)) {
                events.publish(new JobEvent("state", cancelled));
                return cancelled;
            }
        }
        if (!job.state().isFinished()) {
            // Also for a job a trainer has just claimed: it picks the request up.
            repository.requestCancel(id);
            runner.cancelHere(id);
        }
        return job;
    }

    /** Receives the job's events until it finishes; returns the unsubscribe action. */
    public Runnable subscribe(String id, Consumer<JobEvent> listener) {
        return events.subscribe(get(id), listener);
    }

    private boolean modelExists(String versionOrAlias) {
        try {
            registry.resolve(versionOrAlias);
            return true;
        } catch (UnknownModelException e) {
            return false;
        }
    }

    /** Sortable by creation time, unique without coordination. */
    private static String newId() {
        return String.format("%011x%s", System.currentTimeMillis(), UUID.randomUUID().toString().substring(0, 6));
    }
}
