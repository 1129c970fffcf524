package dev.digits.jobs;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import dev.digits.DigitsProperties;
import dev.digits.data.LabelledImages;
import dev.digits.data.Mnist;
import dev.digits.datasets.DatasetStore;
import dev.digits.inference.OverloadedException;
import dev.digits.model.Evaluation;
import dev.digits.model.ModelArchive;
import dev.digits.model.ModelMetadata;
import dev.digits.registry.LoadedModel;
import dev.digits.registry.ModelRegistry;
import dev.digits.registry.UnknownModelException;
import dev.digits.training.BatchProgress;
import dev.digits.training.Cancellation;
import dev.digits.training.EpochSummary;
import dev.digits.training.OutlierExposure;
import dev.digits.training.ProgressListener;
import dev.digits.training.TrainingCancelledException;
import dev.digits.training.TrainingConfig;
import dev.digits.training.TrainingRequest;
import dev.digits.training.TrainingResult;
import dev.digits.training.TrainingSuspendedException;
import dev.digits.training.TrainingRunner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * Accepts, queues, runs, cancels and resumes training jobs. The store is the truth: a job is on
 * disk before {@code POST /jobs} answers, every state change is written before it is published,
 * and at start-up every job that was queued or running is queued again; a running one resumes
 * from its last epoch checkpoint.
 */
@Service
public class JobService implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);
    private static final Duration PROGRESS_WRITE_INTERVAL = Duration.ofSeconds(2);

    private final JobStore store;
    private final JobProperties properties;
    private final ModelRegistry registry;
    private final DatasetStore datasets;
    private final JobData data;
    private final TrainingRunner runner;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, String> idempotencyKeys = new ConcurrentHashMap<>();
    private final LinkedBlockingDeque<String> queue = new LinkedBlockingDeque<>();
    private final Map<String, Cancellation> cancellations = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<JobEvent>>> listeners = new ConcurrentHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final MeterRegistry meters;
    private final Map<JobType, AtomicReference<Double>> currentLoss = new EnumMap<>(JobType.class);
    private final Map<JobType, AtomicReference<Double>> currentAccuracy = new EnumMap<>(JobType.class);
    private final Map<JobType, Counter> imagesTrained = new EnumMap<>(JobType.class);
    private volatile boolean running;

    JobService(DigitsProperties digits, JobProperties properties, ModelRegistry registry, DatasetStore datasets,
               Device device, MeterRegistry meters) {
        this.meters = meters;
        for (JobState state : JobState.values()) {
            Gauge.builder("digits.jobs", () -> jobs.values().stream().filter(j -> j.state() == state).count())
                    .description("Jobs by state").tag("state", state.name().toLowerCase()).register(meters);
        }
        for (JobType type : JobType.values()) {
            currentLoss.put(type, new AtomicReference<>(Double.NaN));
            currentAccuracy.put(type, new AtomicReference<>(Double.NaN));
            Gauge.builder("digits.training.loss", currentLoss.get(type), AtomicReference::get)
                    .description("Latest batch loss of a running job").tag("type", tag(type)).register(meters);
            Gauge.builder("digits.training.accuracy", currentAccuracy.get(type), AtomicReference::get)
                    .description("Running accuracy of a running job's epoch").tag("type", tag(type)).register(meters);
            imagesTrained.put(type, Counter.builder("digits.training.images").description("Training images processed")
                    .tag("type", tag(type)).register(meters));
        }
        this.store = new JobStore(digits.home().resolve("jobs"));
        this.properties = properties;
        this.registry = registry;
        this.datasets = datasets;
        this.data = new JobData(datasets);
        this.runner = new TrainingRunner(device);
        loadStoredJobs();
    }

    /**
     * Reads the jobs on disk before anything can ask for them: the web server starts taking requests
     * before this bean's {@link #start()}, and a job submitted in between would otherwise be queued twice.
     */
    private void loadStoredJobs() {
        List<Job> stored = store.loadAll();
        stored.sort(Comparator.comparing(Job::createdAt));
        for (Job job : stored) {
            if (job.idempotencyKey() != null) {
                idempotencyKeys.put(job.idempotencyKey(), job.id());
            }
            if (job.state() == JobState.RUNNING) {
                log.info("job {} was running when the service stopped; it resumes from its last checkpoint", job.id());
                job = job.queued();
                store.save(job);
            } else if (job.state().isFinished()) {
                // A crash between recording the final state and deleting the checkpoints leaves them behind.
                store.deleteCheckpoints(job.id());
            }
            jobs.put(job.id(), job);
            if (job.state() == JobState.QUEUED) {
                queue.add(job.id());
            }
        }
    }

    /**
     * Accepts a job. With an idempotency key already seen, returns that job instead of a new one.
     */
    public synchronized Job submit(JobRequest request, String idempotencyKey) {
        if (idempotencyKey != null && idempotencyKeys.containsKey(idempotencyKey)) {
            return jobs.get(idempotencyKeys.get(idempotencyKey));
        }
        if (properties.concurrent() == 0) {
            throw new OverloadedException("this replica does not run jobs (digits.jobs.concurrent=0); send them to the trainer",
                    Duration.ofSeconds(60));
        }
        JobRequest complete = JobDefaults.complete(request, datasets::exists, this::modelExists);
        if (queue.size() >= properties.queueCapacity()) {
            throw new OverloadedException("the job queue is full (" + properties.queueCapacity() + " jobs)",
                    Duration.ofSeconds(60));
        }
        String parent = complete.type() == JobType.FINE_TUNE ? registry.resolve(complete.baseModel()) : null;
        Job job = new Job(newId(), complete, parent, JobState.QUEUED, Instant.now(), null, null, null, null, List.of(),
                null, idempotencyKey, 0);
        save(job, "state");
        if (idempotencyKey != null) {
            idempotencyKeys.put(idempotencyKey, job.id());
        }
        queue.add(job.id());
        log.info("job {} accepted: {} on {}", job.id(), complete.type(), complete.dataset());
        return job;
    }

    public Job get(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            throw new UnknownJobException(id);
        }
        return job;
    }

    /** Jobs newest first, optionally of one state. */
    public JobPage list(JobState state, int page, int size) {
        List<Job> matching = jobs.values().stream()
                .filter(j -> state == null || j.state() == state)
                .sorted(Comparator.comparing(Job::createdAt).thenComparing(Job::id).reversed())
                .toList();
        int from = Math.min(matching.size(), page * size);
        return new JobPage(matching.subList(from, Math.min(matching.size(), from + size)), page, size, matching.size());
    }

    /** A queued job is cancelled at once; a running one stops before its next batch. */
    public synchronized Job cancel(String id) {
        Job job = get(id);
        if (job.state() == JobState.QUEUED && queue.remove(id)) {
            return save(job.cancelled(Instant.now()), "state");
        }
        if (!job.state().isFinished()) {
            // Also for a job a worker has just taken off the queue: it picks this cancellation up.
            cancellations.computeIfAbsent(id, k -> new Cancellation()).cancel();
        }
        return job;
    }

    /** Receives the job's events until it finishes; returns the unsubscribe action. */
    public Runnable subscribe(String id, Consumer<JobEvent> listener) {
        get(id);
        listeners.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.getOrDefault(id, List.of()).remove(listener);
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < properties.concurrent(); i++) {
            Thread worker = new Thread(this::work, "job-worker-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
    }

    /**
     * Suspends running jobs at their next batch with a checkpoint there, and leaves them queued on
     * disk, so that the next start resumes them where they stopped.
     */
    @Override
    public void stop() {
        running = false;
        cancellations.values().forEach(Cancellation::suspend);
        // No interrupt: it would close the job file's channel mid-write; the cancellation is seen within a batch.
        for (Thread worker : workers) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void work() {
        // Per-thread: limits this training thread's PyTorch parallelism, not the inference threads'.
        JniUtils.setNumThreads(properties.trainingThreads());
        while (running) {
            String id;
            try {
                id = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue;
            }
            if (id != null) {
                MDC.put("jobId", id);
                try {
                    run(jobs.get(id));
                } finally {
                    MDC.remove("jobId");
                }
            }
        }
    }

    private void run(Job queued) {
        Cancellation cancellation = cancellations.computeIfAbsent(queued.id(), k -> new Cancellation());
        if (!running) {
            cancellation.suspend(); // stop() came between taking the job off the queue and here
        }
        Job job = save(queued.running(Instant.now()), "state");
        log.info("job {} started (attempt {})", job.id(), job.attempts());
        Path staging = registry.store().newStagingFolder();
        try {
            Optional<ModelMetadata> registered = alreadyRegistered(job.id());
            // Split once: training and the promotion's comparison use the same held-out images.
            Mnist.Split split = data.split(job.request());
            String version;
            Map<String, Evaluation> evaluations;
            if (registered.isPresent()) {
                version = registered.get().version();
                evaluations = registered.get().evaluations();
            } else {
                TrainingResult result = train(job, split, staging, cancellation);
                version = registry.register(staging);
                evaluations = result.metadata().evaluations();
            }
            JobResult result = promote(job, split.test(), version, evaluations);
            save(jobs.get(job.id()).succeeded(Instant.now(), result), "state");
            store.deleteCheckpoints(job.id());
            log.info("job {} succeeded: version {} ({})", job.id(), version, result.promotionDecision());
        } catch (TrainingSuspendedException e) {
            save(jobs.get(job.id()).queued(), "state");
            log.info("job {} suspended by shutdown ({}); it resumes at the next start", job.id(), e.getMessage());
        } catch (TrainingCancelledException e) {
            save(jobs.get(job.id()).cancelled(Instant.now()), "state");
            store.deleteCheckpoints(job.id());
            log.info("job {} cancelled", job.id());
        } catch (RuntimeException e) {
            log.error("job {} failed", job.id(), e);
            save(jobs.get(job.id()).failed(Instant.now(), e.getMessage()), "state");
        } finally {
            recordFinished(jobs.get(job.id()));
            cancellations.remove(job.id());
            try {
                ModelArchive.deleteRecursively(staging);
            } catch (IOException e) {
                log.warn("cannot delete {}: {}", staging, e.getMessage());
            }
        }
    }

    private TrainingResult train(Job job, Mnist.Split split, Path staging, Cancellation cancellation) {
        JobRequest request = job.request();
        String architecture = job.parentVersion() != null
                ? registry.store().metadata(job.parentVersion()).architecture() : request.architecture();
        TrainingConfig config = JobDefaults.trainingConfig(request, architecture);
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("source", "job");
        lineage.put("jobId", job.id());
        lineage.put("jobType", tag(request.type()));
        lineage.put("dataset", request.dataset());
        boolean onMnist = JobDefaults.MNIST.equals(request.dataset());
        Map<String, LabelledImages> extra = onMnist ? Map.of() : Map.of("mnist-test", data.mnist().test());
        // A fine-tune's threshold must still accept MNIST-like digits, not only its own dataset's.
        LabelledImages moreRealDigits = onMnist ? split.validation().first(0) : data.mnistValidation(request.seed());
        TrainingRequest training = new TrainingRequest(config, OutlierExposure.withNegatives(split, request.seed()),
                store.checkpoints(job.id()), staging,
                job.parentVersion() == null ? null : registry.store().folder(job.parentVersion()), lineage, extra,
                OutlierExposure.heldOutRealDigits(split.validation(), moreRealDigits, request.seed()),
                TrainingRequest.DEFAULT_FALSE_REJECTION_TARGET);
        return runner.run(training, new Progress(job.id()), cancellation);
    }

    /** Applies the job's promotion policy to the version it registered. */
    private JobResult promote(Job job, LabelledImages heldOut, String version, Map<String, Evaluation> evaluations) {
        PromotionPolicy policy = job.request().promotion();
        if (policy == PromotionPolicy.NEVER) {
            return new JobResult(version, evaluations, false, "promotion policy is never");
        }
        if (policy == PromotionPolicy.IF_BETTER) {
            String decision = compareWithProduction(job, heldOut, evaluations);
            if (decision != null) {
                return new JobResult(version, evaluations, false, decision);
            }
        }
        registry.promote(version, ModelRegistry.PRODUCTION);
        return new JobResult(version, evaluations, true, policy == PromotionPolicy.ALWAYS ? "promotion policy is always"
                : "better than production on the held-out data and within the MNIST margin");
    }

    /** @return why the new version is not better, or null if it is */
    private String compareWithProduction(Job job, LabelledImages heldOut, Map<String, Evaluation> evaluations) {
        double newHeldOut = evaluations.get("test").accuracy();
        double newMnist = evaluations.getOrDefault("mnist-test", evaluations.get("test")).accuracy();
        LoadedModel production = registry.acquireProduction();
        try {
            double prodHeldOut = production.evaluate(heldOut).accuracy();
            double prodMnist = JobDefaults.MNIST.equals(job.request().dataset()) ? prodHeldOut
                    : production.evaluate(data.mnist().test()).accuracy();
            if (newHeldOut <= prodHeldOut) {
                return String.format("not promoted: held-out accuracy %.4f is not above production's %.4f (version %s)",
                        newHeldOut, prodHeldOut, production.version());
            }
            if (newMnist < prodMnist - properties.mnistMargin()) {
                return String.format("not promoted: MNIST test accuracy %.4f is more than %.4f below production's %.4f",
                        newMnist, properties.mnistMargin(), prodMnist);
            }
            return null;
        } finally {
            production.release();
        }
    }

    private void recordFinished(Job job) {
        currentLoss.get(job.request().type()).set(Double.NaN);
        currentAccuracy.get(job.request().type()).set(Double.NaN);
        if (job.state().isFinished() && job.startedAt() != null) {
            Timer.builder("digits.jobs.duration").description("Wall time of a job's last attempt")
                    .tags("type", tag(job.request().type()), "outcome", job.state().name().toLowerCase())
                    .register(meters).record(Duration.between(job.startedAt(), job.finishedAt()));
        }
    }

    private static String tag(JobType type) {
        return type == JobType.FINE_TUNE ? "fine-tune" : "train";
    }

    private Optional<ModelMetadata> alreadyRegistered(String jobId) {
        return registry.versions().stream()
                .filter(m -> m.lineage() != null && jobId.equals(m.lineage().get("jobId")))
                .findFirst();
    }

    private boolean modelExists(String versionOrAlias) {
        try {
            registry.resolve(versionOrAlias);
            return true;
        } catch (UnknownModelException e) {
            return false;
        }
    }

    private Job save(Job job, String event) {
        store.save(job);
        jobs.put(job.id(), job);
        publish(new JobEvent(event, job));
        return job;
    }

    private void publish(JobEvent event) {
        for (Consumer<JobEvent> listener : listeners.getOrDefault(event.job().id(), List.of())) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.debug("event listener failed: {}", e.getMessage());
            }
        }
        if (event.job().state().isFinished()) {
            listeners.remove(event.job().id());
        }
    }

    /** Sortable by creation time, unique without coordination. */
    private static String newId() {
        return String.format("%011x%s", System.currentTimeMillis(), UUID.randomUUID().toString().substring(0, 6));
    }

    /** Turns the runner's callbacks into job progress: every batch published, written every few seconds. */
    private final class Progress implements ProgressListener {

        private final String id;
        private long lastWrite;

        Progress(String id) {
            this.id = id;
        }

        @Override
        public void onBatch(BatchProgress p) {
            long done = (long) (p.epoch() - 1) * p.batchesPerEpoch() + p.batch();
            long total = (long) p.epochs() * p.batchesPerEpoch();
            double batchesPerSecond = p.imagesPerSecond() / jobs.get(id).request().batchSize();
            JobProgress progress = new JobProgress(p.epoch(), p.epochs(), p.batch(), p.batchesPerEpoch(),
                    100.0 * done / total, p.imagesPerSecond(), batchesPerSecond > 0 ? (total - done) / batchesPerSecond : 0,
                    p.loss(), p.runningAccuracy());
            Job job = jobs.get(id).withProgress(progress);
            JobType type = job.request().type();
            imagesTrained.get(type).increment(p.images());
            currentLoss.get(type).set((double) p.loss());
            currentAccuracy.get(type).set((double) p.runningAccuracy());
            jobs.put(id, job);
            if (System.nanoTime() - lastWrite > PROGRESS_WRITE_INTERVAL.toNanos()) {
                store.save(job);
                lastWrite = System.nanoTime();
            }
            publish(new JobEvent("progress", job));
        }

        @Override
        public void onEpoch(EpochSummary summary) {
            List<EpochSummary> history = new ArrayList<>(jobs.get(id).history());
            history.removeIf(e -> e.epoch() >= summary.epoch());
            history.add(summary);
            save(jobs.get(id).withHistory(history), "epoch");
        }
    }
}
