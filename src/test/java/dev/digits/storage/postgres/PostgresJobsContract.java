package dev.digits.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.digits.jobs.Job;
import dev.digits.jobs.JobPage;
import dev.digits.jobs.JobRequest;
import dev.digits.jobs.JobState;
import dev.digits.jobs.JobType;
import dev.digits.storage.AtomicFiles;
import dev.digits.storage.StorageUnavailableException;
import dev.digits.support.Await;
import dev.digits.support.PostgresTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PostgresJobs} on a real PostgreSQL, with several trainers (pools) on one database. */
abstract class PostgresJobsContract {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    protected abstract PostgresTarget target();

    private PostgresStore store;
    private PostgresJobs jobs;

    @BeforeEach
    void createStore() {
        store = PostgresStore.create(target());
        jobs = trainer("a");
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
    }

    /** The repository of another replica or trainer: its own pool and its own local checkpoints. */
    private PostgresJobs trainer(String name) {
        return new PostgresJobs(store.database(), store.blobs, store.home(name).resolve("checkpoints"));
    }

    static Job job(String id, Instant createdAt, String idempotencyKey, boolean gpu) {
        JobRequest request = new JobRequest(JobType.TRAIN, "cnn", null, "mnist", 2, 64, "adam", 0.001f, "cosine", 0f,
                false, 7L, 0.1f, false, null, gpu ? Boolean.TRUE : null);
        return new Job(id, request, null, JobState.QUEUED, createdAt, null, null, null, null, List.of(), null,
                idempotencyKey, 0, null);
    }

    static Job in(Job job, JobState state) {
        return new Job(job.id(), job.request(), job.parentVersion(), state, job.createdAt(), job.startedAt(),
                state.isFinished() ? Instant.now() : null, null, job.progress(), job.history(), job.result(),
                job.idempotencyKey(), job.attempts(), job.trainer());
    }

    @Test
    void storesFindsPagesAndCountsJobsAsEveryReplicaSeesThem() {
        List<Job> inserted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inserted.add(jobs.insert(job("job-" + i, T0.plusSeconds(i), null, false)));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(jobs.claim("a", LEASE, false)).map(Job::id).contains("job-" + i);
        }
        assertThat(jobs.save(in(inserted.get(1), JobState.RUNNING), "a")).isTrue();
        assertThat(jobs.save(in(inserted.get(2), JobState.SUCCEEDED), "a")).isTrue();
        jobs.release("job-0", "a");

        PostgresJobs other = trainer("b");
        assertThat(other.find("job-2").get().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(other.find("job-0").get()).isEqualTo(inserted.get(0));
        assertThat(other.find("nope")).isEmpty();

        JobPage first = other.page(null, 0, 2);
        assertThat(first.jobs()).extracting(Job::id).containsExactly("job-4", "job-3");
        assertThat(first.total()).isEqualTo(5);
        assertThat(other.page(null, 2, 2).jobs()).extracting(Job::id).containsExactly("job-0");
        JobPage queued = other.page(JobState.QUEUED, 0, 10);
        assertThat(queued.jobs()).extracting(Job::id).containsExactly("job-4", "job-3", "job-0");
        assertThat(queued.total()).isEqualTo(3);

        Map<JobState, Long> counts = other.countByState();
        assertThat(counts).containsEntry(JobState.QUEUED, 3L).containsEntry(JobState.RUNNING, 1L)
                .containsEntry(JobState.SUCCEEDED, 1L).containsEntry(JobState.FAILED, 0L)
                .containsEntry(JobState.CANCELLED, 0L);
        assertThat(other.shared()).isTrue();
    }

    @Test
    void anIdempotencyKeyAnswersTheFirstJobEvenWhenRequestsRace() throws Exception {
        Job first = jobs.insert(job("first", T0, "key-1", false));
        Job again = jobs.insert(job("second", T0.plusSeconds(1), "key-1", false));
        assertThat(again).isEqualTo(first);
        assertThat(jobs.find("second")).isEmpty();
        assertThat(jobs.findByIdempotencyKey("key-1")).contains(first);

        List<PostgresJobs> replicas = List.of(jobs, trainer("b"), trainer("c"), trainer("d"));
        CyclicBarrier start = new CyclicBarrier(replicas.size());
        List<Callable<Job>> racers = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            PostgresJobs replica = replicas.get(i);
            String id = "racer-" + i;
            racers.add(() -> {
                start.await();
                return replica.insert(job(id, T0.plusSeconds(5), "key-2", false));
            });
        }
        List<String> answered = runAll(racers).stream().map(Job::id).distinct().toList();
        assertThat(answered).hasSize(1);
        assertThat(jobs.page(null, 0, 100).total()).isEqualTo(2);
    }

    @Test
    void trainersRacingForJobsNeverTakeTheSameOne() throws Exception {
        int count = 60;
        for (int i = 0; i < count; i++) {
            jobs.insert(job(String.format("job-%02d", i), T0.plusSeconds(i), null, false));
        }
        // Two replicas (pools), four trainer threads each, all claiming at once until nothing is left.
        List<PostgresJobs> replicas = List.of(jobs, trainer("b"));
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Callable<List<String>>> claimers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            PostgresJobs replica = replicas.get(i % replicas.size());
            String name = "trainer-" + i;
            claimers.add(() -> {
                start.await();
                List<String> claimed = new ArrayList<>();
                for (Optional<Job> next = replica.claim(name, LEASE, false); next.isPresent();
                        next = replica.claim(name, LEASE, false)) {
                    claimed.add(next.get().id());
                }
                return claimed;
            });
        }
        List<List<String>> perTrainer = runAll(claimers);
        List<String> all = perTrainer.stream().flatMap(List::stream).toList();
        assertThat(all).as("each job claimed exactly once").hasSize(count).doesNotHaveDuplicates();
        assertThat(jobs.claim("late", LEASE, true)).isEmpty();
    }

    @Test
    void theOldestJobIsClaimedFirstAndGpuJobsOnlyByTrainersWithAGpu() {
        jobs.insert(job("gpu-job", T0, null, true));
        jobs.insert(job("cpu-job", T0.plusSeconds(1), null, false));
        jobs.insert(job("cpu-job-2", T0.plusSeconds(2), null, false));

        assertThat(jobs.claim("cpu-trainer", LEASE, false)).map(Job::id).contains("cpu-job");
        assertThat(jobs.claim("cpu-trainer", LEASE, false)).map(Job::id).contains("cpu-job-2");
        assertThat(jobs.claim("cpu-trainer", LEASE, false)).isEmpty();
        assertThat(jobs.claim("gpu-trainer", LEASE, true)).map(Job::id).contains("gpu-job");
    }

    @Test
    void aLeaseThatRanOutIsTakenOverAndTheFirstTrainerCanNeitherRenewNorWriteIt() throws Exception {
        jobs.insert(job("job", T0, null, false));
        PostgresJobs b = trainer("b");
        assertThat(jobs.claim("a", Duration.ofMillis(500), false)).isPresent();
        assertThat(jobs.save(in(jobs.find("job").get(), JobState.RUNNING), "a")).isTrue();

        assertThat(b.claim("b", LEASE, false)).as("a live lease").isEmpty();
        assertThat(jobs.renew("job", "a", Duration.ofMillis(500))).isTrue();
        assertThat(b.renew("job", "b", LEASE)).as("a renewal by a trainer that does not hold it").isFalse();

        // trainer a dies: nothing renews its lease
        Optional<Job> takenOver = Await.until(() -> b.claim("b", LEASE, false), Optional::isPresent,
                Duration.ofSeconds(10), "claimed after the lease ran out");
        assertThat(takenOver.get().id()).isEqualTo("job");
        assertThat(takenOver.get().state()).isEqualTo(JobState.RUNNING);
        assertThat(jobs.renew("job", "a", LEASE)).as("the first trainer, after the takeover").isFalse();
        assertThat(b.save(in(takenOver.get(), JobState.RUNNING), "b")).isTrue();
        assertThat(jobs.save(in(takenOver.get(), JobState.SUCCEEDED), "a"))
                .as("a write by the first trainer, after the takeover").isFalse();
        assertThat(b.find("job").get().state()).as("what the new owner stored stays").isEqualTo(JobState.RUNNING);
        Path ofA = jobs.checkpoints("job");
        write(ofA.resolve("epoch-0001").resolve("model-0000.params"), randomBytes(100, 5));
        write(ofA.resolve("epoch-0001").resolve("checkpoint.json"), "{}".getBytes());
        assertThat(jobs.storeCheckpoint("job", "a")).as("the first trainer's checkpoint, after the takeover").isFalse();
        assertThat(list(b.checkpoints("job"))).as("checkpoints recorded for the new owner").isEmpty();
        assertThat(b.renew("job", "b", LEASE)).isTrue();
        assertThat(jobs.claim("a", LEASE, false)).isEmpty();

        b.release("job", "b");
        assertThat(jobs.claim("a", LEASE, false)).as("released at shutdown: claimable at once").map(Job::id)
                .contains("job");
    }

    @Test
    void aQueuedJobIsCancelledAtOnceAndARunningOneByAStoredRequest() {
        Job queued = jobs.insert(job("queued", T0, null, false));
        assertThat(jobs.cancelQueued(in(queued, JobState.CANCELLED))).isTrue();
        assertThat(trainer("b").find("queued").get().state()).isEqualTo(JobState.CANCELLED);
        assertThat(jobs.claim("a", LEASE, false)).isEmpty();

        Job claimed = jobs.insert(job("claimed", T0.plusSeconds(1), null, false));
        assertThat(jobs.claim("a", LEASE, false)).isPresent();
        assertThat(jobs.cancelQueued(in(claimed, JobState.CANCELLED))).as("a trainer holds it").isFalse();
        assertThat(jobs.find("claimed").get().state()).isEqualTo(JobState.QUEUED);

        PostgresJobs replica = trainer("b");
        assertThat(jobs.cancelRequested("claimed")).isFalse();
        replica.requestCancel("claimed");
        assertThat(jobs.cancelRequested("claimed")).as("seen by the trainer, through another replica's request").isTrue();
        assertThat(jobs.save(in(claimed, JobState.CANCELLED), "a")).isTrue();
        assertThat(jobs.cancelRequested("claimed")).isFalse();
        assertThat(jobs.cancelRequested("unknown")).isFalse();
    }

    @Test
    void aCheckpointStoredByOneTrainerIsResumedByAnotherByteForByte() throws Exception {
        jobs.insert(job("job", T0, null, false));
        assertThat(jobs.claim("a", LEASE, false)).isPresent();
        Path here = jobs.checkpoints("job");
        assertThat(here).doesNotExist();
        byte[] old = randomBytes(1000, 1);
        byte[] parameters = randomBytes(300_000, 2);
        byte[] description = "{\"epoch\":2}".getBytes();
        write(here.resolve("epoch-0001").resolve("model-0000.params"), old);
        write(here.resolve("epoch-0001").resolve("checkpoint.json"), "{\"epoch\":1}".getBytes());
        write(here.resolve("epoch-0002").resolve("model-0000.params"), parameters);
        write(here.resolve("epoch-0002").resolve("checkpoint.json"), description);
        write(here.resolve("epoch-0003").resolve("model-0000.params"), old); // incomplete: no checkpoint.json
        assertThat(jobs.storeCheckpoint("job", "a")).isTrue();

        AtomicFiles.deleteRecursively(here);
        Path resumedHere = jobs.checkpoints("job");
        assertThat(resumedHere).isEqualTo(here);
        assertThat(list(here)).containsExactly("epoch-0002");
        assertThat(Files.readAllBytes(here.resolve("epoch-0002/model-0000.params"))).isEqualTo(parameters);
        assertThat(Files.readAllBytes(here.resolve("epoch-0002/checkpoint.json"))).isEqualTo(description);

        PostgresJobs elsewhere = trainer("b");
        Path there = elsewhere.checkpoints("job");
        assertThat(there).isNotEqualTo(here);
        write(there.resolve("epoch-0009").resolve("checkpoint.json"), "{}".getBytes()); // not what the store says
        there = elsewhere.checkpoints("job");
        assertThat(list(there)).containsExactly("epoch-0002");
        assertThat(Files.readAllBytes(there.resolve("epoch-0002/model-0000.params"))).isEqualTo(parameters);
        assertThat(Files.readAllBytes(there.resolve("epoch-0002/checkpoint.json"))).isEqualTo(description);
        int downloads = store.blobs.gets.get();
        elsewhere.checkpoints("job");
        assertThat(store.blobs.gets.get()).as("files already there are not downloaded again").isEqualTo(downloads);

        jobs.deleteCheckpoints("job");
        assertThat(here).doesNotExist();
        assertThat(list(elsewhere.checkpoints("job"))).isEmpty();
    }

    @Test
    void aCheckpointWhoseBlobsAreGoneIsDroppedAndAnUnreachableStoreIsAnError() throws Exception {
        jobs.insert(job("job", T0, null, false));
        assertThat(jobs.claim("a", LEASE, false)).isPresent();
        Path here = jobs.checkpoints("job");
        write(here.resolve("epoch-0001").resolve("model-0000.params"), randomBytes(100, 4));
        write(here.resolve("epoch-0001").resolve("checkpoint.json"), "{}".getBytes());
        assertThat(jobs.storeCheckpoint("job", "a")).isTrue();

        store.blobs.unavailable(true);
        PostgresJobs elsewhere = trainer("b");
        assertThatThrownBy(() -> elsewhere.checkpoints("job")).isInstanceOf(StorageUnavailableException.class);
        store.blobs.unavailable(false);

        try (var connection = store.target.connect(store.name); var statement = connection.createStatement()) {
            statement.execute("UPDATE jobs SET checkpoint = '{\"epoch-0001/model-0000.params\": \"" + "0".repeat(64)
                    + "\"}' WHERE id = 'job'");
        }
        assertThat(list(elsewhere.checkpoints("job"))).as("trains from the start").isEmpty();
    }

    @Test
    void aFinishedJobDropsItsLeaseAndCheckpointRecord() throws Exception {
        jobs.insert(job("job", T0, null, false));
        Job claimed = jobs.claim("a", LEASE, false).orElseThrow();
        Path folder = jobs.checkpoints("job");
        write(folder.resolve("epoch-0001").resolve("model-0000.params"), randomBytes(100, 3));
        write(folder.resolve("epoch-0001").resolve("checkpoint.json"), "{}".getBytes());
        assertThat(jobs.storeCheckpoint("job", "a")).isTrue();
        assertThat(jobs.save(in(claimed, JobState.SUCCEEDED), "a")).isTrue();

        assertThat(jobs.renew("job", "a", LEASE)).isFalse();
        assertThat(list(trainer("b").checkpoints("job"))).isEmpty();
        assertThat(trainer("a").checkpoints("job")).as("swept at the next start").doesNotExist();
    }

    private static <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> future : pool.invokeAll(tasks)) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static void write(Path file, byte[] bytes) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    static List<String> list(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var children = Files.list(folder)) {
            List<String> names = new ArrayList<>(children.map(p -> p.getFileName().toString()).toList());
            Collections.sort(names);
            return names;
        }
    }
}
