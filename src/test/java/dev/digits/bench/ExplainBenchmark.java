package dev.digits.bench;

import ai.djl.Device;
import dev.digits.DigitsProperties;
import dev.digits.inference.BatchingPredictor;
import dev.digits.inference.Explainer;
import dev.digits.inference.InferenceProperties;
import dev.digits.inference.Prediction;
import dev.digits.model.InputContract;
import dev.digits.registry.ModelRegistry;
import dev.digits.registry.RegistryProperties;
import dev.digits.support.MnistImages;
import dev.digits.support.ProcessMemory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.springframework.util.unit.DataSize;

/**
 * Explanations (integrated gradients, 16 steps) against plain predictions on the same model, in
 * process, with the service's default inference settings: latency of each, plain predictions while
 * explanations run beside them, and resident memory over many explanations. Writes docs/benchmarks.md.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.ExplainBenchmark</pre>
 */
public final class ExplainBenchmark {

    private static final String COMMAND = "./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.ExplainBenchmark";
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration MEASURE = Duration.ofSeconds(10);
    private static final int IMAGES = 100;

    private ExplainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Path home = Files.createTempDirectory("digits-explain-bench");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ModelRegistry registry = new ModelRegistry(new DigitsProperties(home, DigitsProperties.DeviceChoice.CPU),
                new RegistryProperties(Duration.ofHours(1), 2, DataSize.ofMegabytes(64)), Device.cpu(), meters);
        registry.afterPropertiesSet();
        // The defaults of application.properties.
        InferenceProperties properties = new InferenceProperties(true, 32, Duration.ofMillis(2), 1024, 2,
                Duration.ofSeconds(10), 64, DataSize.ofMegabytes(10), 25_000_000, 16, 1, 16);
        BatchingPredictor predictor = new BatchingPredictor(registry, properties, Device.cpu(), meters);
        predictor.start();
        Explainer explainer = new Explainer(registry, properties, meters);
        try {
            List<float[]> images = new ArrayList<>();
            for (int i = 0; i < IMAGES; i++) {
                float[] unit = new float[InputContract.PIXELS];
                MnistImages.test().copyUnit(i, unit, 0);
                images.add(unit);
            }
            List<Prediction> predictions = predictor.predict(images, null);
            Bench bench = new Bench(predictor, explainer, images, predictions);
            String load = loadAverage();
            BenchmarkReport.write("explain-latency", "Explanations against plain predictions (in process)", COMMAND,
                    bench.latency() + load);
            load = loadAverage();
            BenchmarkReport.write("explain-isolation", "Plain predictions while explanations run", COMMAND,
                    bench.isolation() + load);
            BenchmarkReport.write("explain-memory", "Resident memory over many explanations", COMMAND,
                    bench.memory());
        } finally {
            explainer.destroy();
            predictor.stop();
            registry.destroy();
        }
    }

    private record Bench(BatchingPredictor predictor, Explainer explainer, List<float[]> images,
                         List<Prediction> predictions) {

        String latency() {
            StringBuilder table = new StringBuilder("""
                    The bundled `cnn`, one client in a closed loop over 100 MNIST test digits, after 3 s untimed.
                    `predict`: `BatchingPredictor.predict`, as `/predict` calls it (an idle service runs a single
                    image on the caller's thread). `explain`: `Explainer.explain` for the predicted digit,
                    integrated gradients with 16 steps in one forward and backward pass over 16 × images,
                    on the explanation thread (`explain-threads=1`). `predict + explain` is what
                    `/predict?explain=true` will do per request, without HTTP and JSON.

                    | call | images | requests/s | p50 (ms) | p99 (ms) |
                    |---|---|---|---|---|
                    """);
            table.append(row("predict", 1, measure(1, i -> predictor.predict(List.of(image(i)), null))));
            table.append(row("explain", 1, measure(1, i -> explain(i, 1))));
            table.append(row("predict + explain", 1, measure(1, i -> {
                List<Prediction> answer = predictor.predict(List.of(image(i)), null);
                explainer.explain(List.of(image(i)), answer);
            })));
            // The 16 images an explanation of one image runs, forward only.
            table.append(row("predict", 16, measure(1, i -> predictor.predict(batch(i, 16), null))));
            table.append(row("explain", 4, measure(1, i -> explain(i, 4))));
            return table.toString();
        }

        String isolation() {
            StringBuilder table = new StringBuilder("""
                    Single-image plain predictions (batching on, 2 inference workers) with and without 2 clients
                    sending single-image explanations back to back (the explanation thread is busy all along).

                    | explanations | predict concurrency | requests/s | p50 (ms) | p99 (ms) | explanations/s |
                    |---|---|---|---|---|---|
                    """);
            for (int concurrency : new int[] {1, 16}) {
                for (boolean explaining : new boolean[] {false, true}) {
                    AtomicBoolean running = new AtomicBoolean(explaining);
                    AtomicInteger explained = new AtomicInteger();
                    List<Thread> background = new ArrayList<>();
                    for (int c = 0; explaining && c < 2; c++) {
                        int client = c;
                        Thread thread = new Thread(() -> {
                            for (int i = client; running.get(); i++) {
                                explain(i, 1);
                                explained.incrementAndGet();
                            }
                        });
                        thread.start();
                        background.add(thread);
                    }
                    Result r = measure(concurrency, i -> predictor.predict(List.of(image(i)), null));
                    double explanationsPerSecond = explained.get() / (WARM_UP.plus(MEASURE).toNanos() / 1e9);
                    running.set(false);
                    for (Thread thread : background) {
                        join(thread);
                    }
                    String row = "| %s | %d | %.0f | %.2f | %.2f | %s |%n".formatted(explaining ? "running" : "none",
                            concurrency, r.perSecond(), r.p50(), r.p99(),
                            explaining ? "%.0f".formatted(explanationsPerSecond) : "-");
                    System.out.print(row);
                    table.append(row);
                }
            }
            return table.toString();
        }

        String memory() {
            StringBuilder table = new StringBuilder("""
                    Single-image explanations back to back on one client; resident memory (after a GC) every
                    500. The arrays themselves are counted in `ModelMemoryTests`, which finds the model's
                    NDManager holding as many arrays after 100 explanations as before.

                    | explanations | resident (MiB) | JVM heap used (MiB) |
                    |---|---|---|
                    """);
            for (int done = 0; done <= 2000; done++) {
                if (done % 500 == 0) {
                    System.gc();
                    Runtime runtime = Runtime.getRuntime();
                    String row = "| %d | %.0f | %.0f |%n".formatted(done, ProcessMemory.rssMiB(),
                            (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0);
                    System.out.print(row);
                    table.append(row);
                }
                explain(done, 1);
            }
            return table.toString();
        }

        private void explain(int first, int count) {
            List<float[]> units = batch(first, count);
            List<Integer> targets = new ArrayList<>(count);
            for (int j = 0; j < count; j++) {
                targets.add(predictions.get(Math.floorMod(first + j, images.size())).mostLikely());
            }
            explainer.explain(units, targets, null);
        }

        private float[] image(int i) {
            return images.get(Math.floorMod(i, images.size()));
        }

        private List<float[]> batch(int first, int count) {
            List<float[]> units = new ArrayList<>(count);
            for (int j = 0; j < count; j++) {
                units.add(image(first + j));
            }
            return units;
        }
    }

    private record Result(double perSecond, double p50, double p99) {
    }

    /** The machine is shared: how busy it was matters for every figure of a section. */
    private static String loadAverage() {
        try {
            String oneMinute = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            return "\nLoad average (1 min) as the section started, this benchmark's own threads included: " + oneMinute
                    + " on " + Runtime.getRuntime().availableProcessors() + " cores shared with other work.\n";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** Closed loop on {@code clients} threads: untimed warm-up, then every call's latency. */
    private static Result measure(int clients, IntConsumer call) {
        long warmUntil = System.nanoTime() + WARM_UP.toNanos();
        long until = warmUntil + MEASURE.toNanos();
        List<long[]> perClient = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        int[] counts = new int[clients];
        for (int c = 0; c < clients; c++) {
            long[] latencies = new long[200_000];
            perClient.add(latencies);
            int client = c;
            Thread thread = new Thread(() -> {
                int n = 0;
                while (true) {
                    long start = System.nanoTime();
                    if (start >= until) {
                        break;
                    }
                    call.accept(next.getAndIncrement());
                    if (start >= warmUntil && n < latencies.length) {
                        latencies[n++] = System.nanoTime() - start;
                    }
                }
                counts[client] = n;
            });
            thread.start();
            threads.add(thread);
        }
        threads.forEach(ExplainBenchmark::join);
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(perClient.get(c), 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        return new Result(all.length / (MEASURE.toNanos() / 1e9), all[all.length / 2] / 1e6,
                all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e6);
    }

    private static String row(String call, int images, Result r) {
        String row = "| %s | %d | %.1f | %.2f | %.2f |%n".formatted(call, images, r.perSecond(), r.p50(), r.p99());
        System.out.print(row);
        return row;
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
