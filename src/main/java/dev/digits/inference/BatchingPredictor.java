package dev.digits.inference;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.TranslateException;
import dev.digits.model.InputContract;
import dev.digits.model.ModelMetadata;
import dev.digits.problems.OverloadedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.digits.registry.LoadedModel;
import dev.digits.registry.ModelRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs predictions in batches. Requests join a bounded queue; each worker thread takes the oldest
 * request, then keeps taking more until it has {@code maxBatchSize} or the oldest has waited
 * {@code maxBatchDelay}, and runs them through the model in one forward pass. A single-image
 * request that finds the service idle (no batch running, nothing queued) runs at once on its own
 * thread, and a worker that finds it idle does not wait: waiting only pays when there is something
 * to batch with. Workers hold the model only for the duration of a batch, so a swap waits for no
 * one and loses no request.
 *
 * <p>Each worker runs PyTorch on {@code worker-threads} intra-op threads of its own (1 by default):
 * on a small machine, workers × threads = cores keeps every core computing, where workers that each
 * spread one batch over all the cores stop at every layer to wait for a thread that the web server
 * has taken. A worker writes its batch straight into one native buffer that the input tensor uses
 * as it is, so an image is copied once between the request and the network.
 */
@Component
public class BatchingPredictor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BatchingPredictor.class);

    private final ModelRegistry registry;
    private final InferenceProperties properties;
    private final Device device;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Semaphore capacity;
    private final Timer batchDuration;
    private final DistributionSummary batchSize;
    private final Counter rejected;
    private final List<Thread> workers = new ArrayList<>();
    /** Batches running now, on a worker or on a request thread that found the service idle. */
    private final AtomicInteger busyWorkers = new AtomicInteger();
    private final Semaphore idleShortcut = new Semaphore(1);
    private volatile boolean running;

    public BatchingPredictor(ModelRegistry registry, InferenceProperties properties, Device device,
                             MeterRegistry meters) {
        this.registry = registry;
        this.properties = properties;
        this.device = device;
        this.capacity = new Semaphore(properties.queueCapacity());
        this.batchDuration = Timer.builder("digits.inference.batch.duration")
                .description("Time of one forward pass over a batch").publishPercentileHistogram().register(meters);
        this.batchSize = DistributionSummary.builder("digits.inference.batch.size")
                .description("Images per forward pass").serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(meters);
        this.rejected = Counter.builder("digits.predict.rejected")
                .description("Requests refused because the prediction queue was full").register(meters);
        Gauge.builder("digits.inference.queue.depth", queue, LinkedBlockingQueue::size)
                .description("Images waiting for an inference worker").register(meters);
    }

    /** One image waiting: the unit image, the model it asked for (null = production), its result. */
    private record Pending(float[] input, String model, long arrivedNanos, CompletableFuture<Prediction> result) {
    }

    /**
     * Predicts every image of one request. All of a request's images are admitted or none is, so a
     * full queue answers at once with 503 instead of growing the latency.
     *
     * @param images MNIST-like unit images (784 values in [0, 1])
     * @param model a version or alias, or null for production
     */
    public List<Prediction> predict(List<float[]> images, String model) {
        if (model != null) {
            registry.resolve(model); // unknown versions fail fast with 404, before queueing
        }
        if (!properties.batching()) {
            return predictNow(images, model);
        }
        // A single image while idle has nothing to batch with: skip the hand-off to a worker and its latency.
        if (images.size() == 1 && busyWorkers.get() == 0 && queue.isEmpty() && idleShortcut.tryAcquire()) {
            busyWorkers.incrementAndGet();
            try {
                return predictNow(images, model);
            } finally {
                busyWorkers.decrementAndGet();
                idleShortcut.release();
            }
        }
        if (!running || !capacity.tryAcquire(images.size())) {
            rejected.increment();
            throw new OverloadedException("the prediction queue is full (" + properties.queueCapacity() + " images)",
                    Duration.ofSeconds(1));
        }
        long now = System.nanoTime();
        List<CompletableFuture<Prediction>> results = new ArrayList<>(images.size());
        for (float[] image : images) {
            CompletableFuture<Prediction> result = new CompletableFuture<>();
            results.add(result);
            queue.add(new Pending(image, model, now, result));
        }
        return await(results);
    }

    /** Predictions as the model computes them, in order, on the caller's thread (batching off, or idle). */
    private List<Prediction> predictNow(List<float[]> images, String model) {
        ByteBuffer batch = normalized(images,
                ByteBuffer.allocateDirect(images.size() * InputContract.PIXELS * Float.BYTES));
        LoadedModel loaded = registry.acquire(model);
        try {
            return forward(loaded, batch, images.size());
        } catch (TranslateException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        } finally {
            loaded.release();
        }
    }

    private List<Prediction> await(List<CompletableFuture<Prediction>> results) {
        long deadline = System.nanoTime() + properties.timeout().toNanos();
        List<Prediction> predictions = new ArrayList<>(results.size());
        try {
            for (CompletableFuture<Prediction> result : results) {
                predictions.add(result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return predictions;
        } catch (TimeoutException e) {
            // Answered already: a worker that has not reached these images yet skips them.
            results.forEach(result -> result.cancel(false));
            throw new OverloadedException("no result within " + properties.timeout(), Duration.ofSeconds(1));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            results.forEach(result -> result.cancel(false));
            throw new OverloadedException("interrupted while waiting for a result", Duration.ofSeconds(1));
        }
    }

    private void work(CountDownLatch configured) {
        // PyTorch's grad mode is per thread and on by default: inference never needs the autograd graph.
        try {
            JniUtils.setGradMode(false);
            // Per thread too (OpenMP's thread count is a per-thread setting), but PyTorch also keeps the
            // value as the default of threads that start later: start() puts that default back.
            JniUtils.setNumThreads(properties.workerThreads());
        } finally {
            configured.countDown();
        }
        ByteBuffer input = ByteBuffer.allocateDirect(properties.maxBatchSize() * InputContract.PIXELS * Float.BYTES);
        long maxDelay = properties.maxBatchDelay().toNanos();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Pending> batch = new ArrayList<>(properties.maxBatchSize());
                batch.add(first);
                // With no other batch running and nothing else queued there is no one to wait for:
                // waiting would only add the delay to this request's latency.
                boolean busy = busyWorkers.get() > 0 || !queue.isEmpty();
                long deadline = busy ? first.arrivedNanos() + maxDelay : 0;
                while (batch.size() < properties.maxBatchSize()) {
                    long wait = deadline - System.nanoTime();
                    Pending next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                capacity.release(batch.size());
                busyWorkers.incrementAndGet();
                try {
                    run(batch, input);
                } finally {
                    busyWorkers.decrementAndGet();
                }
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                log.error("inference worker error", e);
            }
        }
    }

    /** @param input this worker's native buffer, room for {@code max-batch-size} images */
    private void run(List<Pending> batch, ByteBuffer input) {
        Map<String, List<Pending>> byModel = new LinkedHashMap<>();
        for (Pending pending : batch) {
            if (pending.result().isCancelled()) {
                continue; // its request timed out and was answered with 503
            }
            byModel.computeIfAbsent(Objects.toString(pending.model(), ""), k -> new ArrayList<>()).add(pending);
        }
        for (List<Pending> group : byModel.values()) {
            LoadedModel loaded;
            try {
                loaded = registry.acquire(group.get(0).model());
            } catch (RuntimeException e) {
                group.forEach(p -> p.result().completeExceptionally(e));
                continue;
            }
            try {
                ByteBuffer images = normalized(group.stream().map(Pending::input).toList(), input);
                List<Prediction> predictions = forward(loaded, images, group.size());
                for (int i = 0; i < group.size(); i++) {
                    group.get(i).result().complete(predictions.get(i));
                }
            } catch (TranslateException | RuntimeException e) {
                IllegalStateException failure = new IllegalStateException("inference failed: " + e.getMessage(), e);
                group.forEach(p -> p.result().completeExceptionally(failure));
            } finally {
                loaded.release();
            }
        }
    }

    /**
     * One forward pass over {@code n} normalized images, on this thread's predictor for that model.
     *
     * @param input exactly {@code n × 784} floats in a direct buffer of native byte order, which the
     *              input tensor uses without a copy (on the CPU)
     */
    private List<Prediction> forward(LoadedModel loaded, ByteBuffer input, int n) throws TranslateException {
        long started = System.nanoTime();
        float[] logits;
        try (NDManager scope = NDManager.newBaseManager(device)) {
            NDArray images = scope.create(input,
                    new Shape(n, InputContract.CHANNELS, InputContract.SIZE, InputContract.SIZE), DataType.FLOAT32);
            logits = loaded.predictor().predict(new NDList(images)).singletonOrThrow().toFloatArray();
        }
        batchDuration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        batchSize.record(n);
        ModelMetadata.Calibration calibration = loaded.metadata().calibrationOrNone();
        List<Prediction> predictions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            predictions.add(Prediction.fromLogits(logits, i * InputContract.CLASSES, loaded.version(), calibration));
        }
        return predictions;
    }

    /**
     * Writes unit images side by side, normalized as in training, to the start of {@code room} (the
     * callers' arrays are untouched).
     *
     * @return that part of {@code room}, in native byte order, as the input tensor takes it
     */
    private static ByteBuffer normalized(List<float[]> units, ByteBuffer room) {
        ByteBuffer batch = room.slice(0, units.size() * InputContract.PIXELS * Float.BYTES)
                .order(ByteOrder.nativeOrder());
        FloatBuffer floats = batch.asFloatBuffer();
        for (float[] unit : units) {
            for (int i = 0; i < InputContract.PIXELS; i++) {
                floats.put(InputContract.normalize(unit[i]));
            }
        }
        return batch;
    }

    /** Images waiting for a worker. */
    public int queueDepth() {
        return queue.size();
    }

    @Override
    public void start() {
        running = true;
        // With batching off every request runs on its own thread: workers would only poll an empty queue.
        int workerCount = properties.batching() ? properties.workers() : 0;
        int defaultThreads = JniUtils.getNumThreads();
        CountDownLatch configured = new CountDownLatch(workerCount);
        for (int i = 0; i < workerCount; i++) {
            Thread worker = new Thread(() -> work(configured), "inference-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
        try {
            configured.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The workers' count also became PyTorch's default for threads that start later (request
        // threads that find the service idle, explanations): put the engine's default back.
        JniUtils.setNumThreads(defaultThreads);
        log.info("inference: batching {}, {} workers × {} PyTorch threads, max batch {}, max delay {}",
                properties.batching() ? "on" : "off", workerCount, properties.workerThreads(),
                properties.maxBatchSize(), properties.maxBatchDelay());
    }

    /** Stops taking requests and lets the workers finish what is queued, so in-flight requests complete. */
    @Override
    public void stop() {
        running = false;
        for (Thread worker : workers) {
            try {
                worker.join(properties.timeout().toMillis());
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

    /** Starts before the web server and stops after its graceful drain, so that queued requests complete. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
