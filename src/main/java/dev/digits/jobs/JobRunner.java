package dev.digits.jobs;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import dev.digits.data.LabelledImages;
import dev.digits.data.Mnist;
import dev.digits.model.Evaluation;
import dev.digits.model.ModelMetadata;
import dev.digits.registry.ModelRegistry;
import dev.digits.registry.StagedModel;
import dev.digits.storage.StorageUnavailableException;
import dev.digits.training.BatchProgress;
import dev.digits.training.Cancellation;
import dev.digits.training.EpochSummary;
import dev.digits.training.OutlierExposure;
import dev.digits.training.ProgressListener;
import dev.digits.training.TrainingCancelledException;
import dev.digits.training.TrainingConfig;
import dev.digits.training.TrainingRequest;
import dev.digits.training.TrainingResult;
import dev.digits.training.TrainingRunner;
import dev.digits.training.TrainingSuspendedException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The trainer: {@code digits.jobs.concurrent} workers claim jobs from the store, train them,
 * register the model and apply the promotion policy. While a job runs its lease is renewed, and a
 * cancellation stored by any replica is picked up. A job whose trainer dies is claimed again once
 * its lease runs out and resumes from its last stored checkpoint; a model it already registered is
 * not trained or registered again.
 */
@Component
class JobRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final Duration PROGRESS_WRITE_INTERVAL = Duration.ofSeconds(2);
    private static final long WATCH_EVERY_MILLIS = 1_000;

    private final JobRepository repository;
    private final JobProperties properties;
    private final ModelRegistry registry;
    private final JobData data;
    private final Promotion promotion;
    private final JobEvents events;
    private final JobMetrics metrics;
    private final TrainingRunner runner;
    private final boolean gpu;
    private final String trainer = ManagementFactory.getRuntimeMXBean().getName() + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    /** The jobs this trainer runs now, as last changed here (newer than the store between progress writes). */
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    /** Made at each start: a stopped lifecycle (a paused test context, say) may be started again. */
    private ScheduledExecutorService watcher;
    private volatile boolean started;

    JobRunner(JobRepository repository, JobProperties properties, ModelRegistry registry, JobData data,
              Promotion promotion, JobEvents events, JobMetrics metrics, Device device) {
        this.repository = repository;
        this.properties = properties;
        this.registry = registry;
        this.data = data;
        this.promotion = promotion;
        this.events = events;
        this.metrics = metrics;
        this.runner = new TrainingRunner(device);
        this.gpu = device.isGpu();
    }

    private static final class Running {
        final Cancellation cancellation = new Cancellation();
        volatile Job job;
        volatile long renewedAt = System.nanoTime();
        /** Set when the lease was lost: another trainer may own the job now, so nothing more is written. */
        volatile boolean lost;

        Running(Job job) {
            this.job = job;
        }
    }

    /** Stops a job running here before its next batch; a no-op for jobs running elsewhere. */
    void cancelHere(String id) {
        Running job = running.get(id);
        if (job != null) {
            job.cancellation.cancel();
        }
    }

    @Override
    public void start() {
        started = true;
        for (int i = 0; i < properties.concurrent(); i++) {
            Thread worker = new Thread(this::work, "job-worker-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
        if (properties.concurrent() > 0) {
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "job-lease-watch");
                thread.setDaemon(true);
                return thread;
            });
            watcher.scheduleWithFixedDelay(this::watchLeases, WATCH_EVERY_MILLIS, WATCH_EVERY_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Suspends running jobs at their next batch with a checkpoint there, stores them queued and gives
     * up their leases, so that this or another trainer resumes them where they stopped.
     */
    @Override
    public void stop() {
        started = false;
        running.values().forEach(job -> job.cancellation.suspend());
        // No interrupt: it would close the job file's channel mid-write; the suspension is seen within a batch.
        for (Thread worker : workers) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.clear();
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    private void work() {
        // Per-thread: limits this training thread's PyTorch parallelism, not the inference threads'.
        JniUtils.setNumThreads(properties.trainingThreads());
        while (started) {
            Optional<Job> claimed;
            try {
                claimed = repository.claim(trainer, properties.lease(), gpu);
            } catch (RuntimeException e) {
                log.warn("cannot claim a job from the store: {}", e.getMessage());
                claimed = Optional.empty();
            }
            if (claimed.isEmpty()) {
                sleep(properties.pollInterval());
                continue;
            }
            MDC.put("jobId", claimed.get().id());
            try {
                run(claimed.get());
            } catch (RuntimeException e) {
                // The store failed while recording the outcome: the lease runs out and the job is claimed again,
                // which finds the model it registered, if any, instead of training it twice.
                log.error("job {}: cannot record its outcome; it is retried once its lease runs out: {}",
                        claimed.get().id(), e.getMessage());
            } finally {
                MDC.remove("jobId");
            }
        }
    }

    /** Renews the leases of the jobs running here and picks up cancellations stored by other replicas. */
    private void watchLeases() {
        long renewEvery = properties.lease().toNanos() / 3;
        for (Map.Entry<String, Running> entry : running.entrySet()) {
            String id = entry.getKey();
            Running job = entry.getValue();
            try {
                if (repository.cancelRequested(id)) {
                    job.cancellation.cancel();
                }
                if (System.nanoTime() - job.renewedAt >= renewEvery) {
                    if (repository.renew(id, trainer, properties.lease())) {
                        job.renewedAt = System.nanoTime();
                    } else {
                        lostToAnotherTrainer(job);
                    }
                }
            } catch (RuntimeException e) {
                // The store is unreachable: keep training; the lease may still be renewed before it runs out.
                log.warn("job {}: cannot renew the lease: {}", id, e.getMessage());
            }
        }
    }

    private void run(Job claimed) {
        Running here = new Running(claimed);
        running.put(claimed.id(), here);
        if (!started) {
            here.cancellation.suspend(); // stop() came between the claim and here
        }
        String id = claimed.id();
        try (StagedModel staging = registry.stage()) {
            if (repository.cancelRequested(id)) {
                here.cancellation.cancel();
            }
            Job job = save(here, claimed.running(Instant.now(), trainer), "state");
            log.info("job {} started (attempt {})", id, job.attempts());
            // Split once: training and the promotion's comparison use the same held-out images.
            Mnist.Split split = data.split(job.request());
            Optional<ModelMetadata> registered = registeredBy(id);
            String version;
            Map<String, Evaluation> evaluations;
            if (registered.isPresent()) {
                version = registered.get().version();
                evaluations = registered.get().evaluations();
            } else {
                TrainingResult result = train(here, split, staging);
                version = registry.register(staging);
                evaluations = result.metadata().evaluations();
            }
            JobResult result = promotion.decide(job, split.test(), version, evaluations);
            save(here, here.job.succeeded(Instant.now(), result), "state");
            if (here.lost) {
                // Its version is registered under this job: the trainer holding the job now finds it and finishes.
                log.info("job {} trained here, but another trainer holds it now", id);
                return;
            }
            repository.deleteCheckpoints(id);
            log.info("job {} succeeded: version {} ({})", id, version, result.promotionDecision());
        } catch (TrainingSuspendedException e) {
            if (here.lost) {
                log.info("job {} stopped here: another trainer holds it now", id);
            } else {
                storeCheckpoint(here);
                save(here, here.job.queued(), "state");
                log.info("job {} suspended by shutdown ({}); it resumes from its checkpoint", id, e.getMessage());
            }
        } catch (TrainingCancelledException e) {
            save(here, here.job.cancelled(Instant.now()), "state");
            if (!here.lost) {
                repository.deleteCheckpoints(id);
                log.info("job {} cancelled", id);
            }
        } catch (StorageUnavailableException e) {
            // Not the job's fault: it stays with its lease, which runs out, and is claimed again once the store is back.
            log.warn("job {}: the store is unavailable ({}); the job is retried when it is back", id, e.getMessage());
            sleep(properties.lease());
        } catch (RuntimeException e) {
            log.error("job {} failed", id, e);
            if (!here.lost) {
                save(here, here.job.failed(Instant.now(), e.getMessage()), "state");
            }
        } finally {
            metrics.finished(here.job);
            running.remove(id);
            releaseQuietly(id);
        }
    }

    private TrainingResult train(Running here, Mnist.Split split, StagedModel staging) {
        Job job = here.job;
        JobRequest request = job.request();
        String architecture = job.parentVersion() != null
                ? registry.metadata(job.parentVersion()).architecture() : request.architecture();
        TrainingConfig config = JobDefaults.trainingConfig(request, architecture);
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("source", "job");
        lineage.put("jobId", job.id());
        lineage.put("jobType", JobMetrics.tag(request.type()));
        lineage.put("dataset", request.dataset());
        boolean onMnist = JobDefaults.MNIST.equals(request.dataset());
        Map<String, LabelledImages> extra = onMnist ? Map.of() : Map.of("mnist-test", data.mnist().test());
        // A fine-tune's threshold must still accept MNIST-like digits, not only its own dataset's.
        LabelledImages moreRealDigits = onMnist ? split.validation().first(0) : data.mnistValidation(request.seed());
        TrainingRequest training = new TrainingRequest(config, OutlierExposure.withNegatives(split, request.seed()),
                repository.checkpoints(job.id()), staging.folder(),
                job.parentVersion() == null ? null : registry.open(job.parentVersion()).folder(), lineage, extra,
                OutlierExposure.heldOutRealDigits(split.validation(), moreRealDigits, request.seed()),
                TrainingRequest.DEFAULT_FALSE_REJECTION_TARGET);
        return runner.run(training, new Progress(here), here.cancellation);
    }

    private Optional<ModelMetadata> registeredBy(String jobId) {
        return registry.versions().stream()
                .filter(m -> m.lineage() != null && jobId.equals(m.lineage().get("jobId")))
                .findFirst();
    }

    private Job save(Running here, Job job, String event) {
        write(here, job);
        here.job = job;
        if (!here.lost) {
            events.publish(new JobEvent(event, job));
        }
        return job;
    }

    /**
     * Stores the job unless another trainer has claimed it since this one did (its lease ran out while
     * this one was cut off or paused): then this trainer stops, and stores nothing more of the job.
     */
    private void write(Running here, Job job) {
        if (!here.lost && !repository.save(job, trainer)) {
            lostToAnotherTrainer(here);
        }
    }

    private void storeCheckpoint(Running here) {
        if (!here.lost && !repository.storeCheckpoint(here.job.id(), trainer)) {
            lostToAnotherTrainer(here);
        }
    }

    private static void lostToAnotherTrainer(Running here) {
        log.warn("job {}: the lease was lost to another trainer; stopping here", here.job.id());
        here.lost = true;
        here.cancellation.suspend();
    }

    private void releaseQuietly(String id) {
        try {
            repository.release(id, trainer);
        } catch (RuntimeException e) {
            log.warn("job {}: cannot give up the lease; it runs out by itself: {}", id, e.getMessage());
        }
    }

    /** Progress and history are worth keeping but not worth failing a job for while the store is away. */
    private void storeQuietly(Running here, Runnable write) {
        if (here.lost) {
            return;
        }
        try {
            write.run();
        } catch (RuntimeException e) {
            log.warn("job {}: cannot store its progress now: {}", here.job.id(), e.getMessage());
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Turns the runner's callbacks into job progress: every batch published, stored every few seconds. */
    private final class Progress implements ProgressListener {

        private final Running here;
        private long lastWrite;

        Progress(Running here) {
            this.here = here;
        }

        @Override
        public void onBatch(BatchProgress p) {
            long done = (long) (p.epoch() - 1) * p.batchesPerEpoch() + p.batch();
            long total = (long) p.epochs() * p.batchesPerEpoch();
            double batchesPerSecond = p.imagesPerSecond() / here.job.request().batchSize();
            JobProgress progress = new JobProgress(p.epoch(), p.epochs(), p.batch(), p.batchesPerEpoch(),
                    100.0 * done / total, p.imagesPerSecond(), batchesPerSecond > 0 ? (total - done) / batchesPerSecond : 0,
                    p.loss(), p.runningAccuracy());
            Job job = here.job.withProgress(progress);
            metrics.batch(job.request().type(), p);
            here.job = job;
            if (System.nanoTime() - lastWrite > PROGRESS_WRITE_INTERVAL.toNanos()) {
                storeQuietly(here, () -> write(here, job));
                lastWrite = System.nanoTime();
            }
            events.publish(new JobEvent("progress", job));
        }

        @Override
        public void onEpoch(EpochSummary summary) {
            storeQuietly(here, () -> storeCheckpoint(here));
            List<EpochSummary> history = new ArrayList<>(here.job.history());
            history.removeIf(e -> e.epoch() >= summary.epoch());
            history.add(summary);
            Job job = here.job.withHistory(history);
            here.job = job;
            storeQuietly(here, () -> write(here, job));
            events.publish(new JobEvent("epoch", job));
        }
    }
}
