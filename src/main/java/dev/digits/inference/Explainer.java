package dev.digits.inference;

import dev.digits.problems.OverloadedException;
import dev.digits.registry.LoadedModel;
import dev.digits.registry.ModelRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Explains predictions with integrated gradients, on a few threads of its own. A backward pass
 * needs PyTorch's grad mode, which the inference workers keep off; here it is on only for the
 * duration of one pass on an explanation thread (grad mode is per thread), so explanations never
 * run on the inference workers, and at most {@code explain-threads} passes run at a time. The
 * queue in front of the threads is bounded: when it is full the request is refused with 503 at once.
 */
@Component
public class Explainer implements DisposableBean {

    private final ModelRegistry registry;
    private final InferenceProperties properties;
    private final IntegratedGradients method;
    private final ThreadPoolExecutor threads;
    private final Timer duration;
    private final Counter rejected;

    public Explainer(ModelRegistry registry, InferenceProperties properties, MeterRegistry meters) {
        this.registry = registry;
        this.properties = properties;
        this.method = new IntegratedGradients(properties.explainSteps());
        AtomicInteger count = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(properties.explainThreads(), properties.explainThreads(), 0,
                TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(properties.explainQueueCapacity()), task -> {
                    // No JniUtils.setNumThreads here: PyTorch keeps the last value set on any thread as
                    // the default of every thread that runs its first operation afterwards, so limiting
                    // this thread would silently limit inference threads started later.
                    Thread thread = new Thread(task, "explain-" + count.getAndIncrement());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.duration = Timer.builder("digits.inference.explain.duration")
                .description("Time to explain the images of one request").publishPercentileHistogram().register(meters);
        this.rejected = Counter.builder("digits.inference.explain.rejected")
                .description("Explanation requests refused because their queue was full").register(meters);
    }

    /**
     * Explains each image's {@code target} class on one model.
     *
     * @param units images of 784 values in [0, 1] (as {@link BatchingPredictor#predict} takes them)
     * @param targets per image, the digit to explain: the answer, or the most likely one when abstaining
     * @param model a version or alias, or null for production
     * @return one explanation per image, in order
     */
    public List<Explanation> explain(List<float[]> units, List<Integer> targets, String model) {
        if (units.size() != targets.size()) {
            throw new IllegalArgumentException(units.size() + " images but " + targets.size() + " targets");
        }
        if (model != null) {
            registry.resolve(model); // unknown versions fail fast with 404, before queueing
        }
        return await(submit(() -> explainOn(model, units, targets)));
    }

    /**
     * Explains predictions made by {@link BatchingPredictor}: each image's most likely digit (its answer,
     * unless it abstained), on the version that answered it, so that a swap in between changes nothing.
     *
     * @param units the images that were predicted, in the same order
     */
    public List<Explanation> explain(List<float[]> units, List<Prediction> predictions) {
        if (units.size() != predictions.size()) {
            throw new IllegalArgumentException(units.size() + " images but " + predictions.size() + " predictions");
        }
        Map<String, List<Integer>> byVersion = new LinkedHashMap<>();
        for (int i = 0; i < predictions.size(); i++) {
            byVersion.computeIfAbsent(predictions.get(i).modelVersion(), k -> new ArrayList<>()).add(i);
        }
        return await(submit(() -> {
            Explanation[] explanations = new Explanation[units.size()];
            for (Map.Entry<String, List<Integer>> group : byVersion.entrySet()) {
                List<Integer> indices = group.getValue();
                List<Explanation> explained = explainOn(group.getKey(), indices.stream().map(units::get).toList(),
                        indices.stream().map(i -> predictions.get(i).mostLikely()).toList());
                for (int j = 0; j < indices.size(); j++) {
                    explanations[indices.get(j)] = explained.get(j);
                }
            }
            return Arrays.asList(explanations);
        }));
    }

    /** Runs on an explanation thread. */
    private List<Explanation> explainOn(String model, List<float[]> units, List<Integer> targets) {
        long started = System.nanoTime();
        LoadedModel loaded = registry.acquire(model);
        try {
            return method.explain(units, targets, loaded::inputGradients);
        } finally {
            loaded.release();
            duration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    /** Queues a task for the explanation threads, or refuses it when the queue is full. */
    <T> Future<T> submit(Callable<T> task) {
        try {
            return threads.submit(task);
        } catch (RejectedExecutionException e) {
            rejected.increment();
            throw new OverloadedException("the explanation queue is full (" + properties.explainQueueCapacity()
                    + " requests)", Duration.ofSeconds(1));
        }
    }

    private <T> T await(Future<T> result) {
        try {
            return result.get(properties.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            result.cancel(false); // a task that has not started yet is skipped
            throw new OverloadedException("no explanation within " + properties.timeout(), Duration.ofSeconds(1));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("explanation failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(false);
            throw new OverloadedException("interrupted while waiting for an explanation", Duration.ofSeconds(1));
        }
    }

    /** Lets running explanations finish (their requests are drained before this), then stops the threads. */
    @Override
    public void destroy() throws InterruptedException {
        threads.shutdown();
        threads.awaitTermination(properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}
