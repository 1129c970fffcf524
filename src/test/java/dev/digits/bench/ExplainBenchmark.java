package dev.digits.bench;

import dev.digits.storage.filesystem.FilesystemModels;
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
import java.io.IOException;
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
 * <p>The machine may be shared, and its load drifts: the calls compared in a table are measured in
 * interleaved rounds (2 s of each in turn, five times), so that every row sees the same load.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.ExplainBenchmark</pre>
 */
public final class ExplainBenchmark {

    private static final String COMMAND = "./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.ExplainBenchmark";
    private static final Duration ROUND = Duration.ofSeconds(2);
    private static final int ROUNDS = 5;
    private static final int IMAGES = 100;

    private ExplainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Path home = Files.createTempDirectory("digits-explain-bench");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ModelRegistry registry = new ModelRegistry(new FilesystemModels(home.resolve("models")),
                new RegistryProperties(Duration.ofHours(1), 2, DataSize.ofMegabytes(64)), Device.cpu(), meters);
        registry.afterPropertiesSet();
        // The defaults of application.properties.
        InferenceProperties properties = new InferenceProperties(true, 32, Duration.ofMillis(2), 1024, 2, 1,
                InferenceProperties.Precision.FP32,
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
            Bench bench = new Bench(predictor, explainer, images, predictor.predict(images, null));
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
                    The bundled `cnn`, one client in a closed loop over 100 MNIST test digits: one untimed round,
                    then five rounds of 2 s of each call in turn. `predict`: `BatchingPredictor.predict`, as
                    `/predict` calls it (an idle service runs a single image on the caller's thread). `explain`:
                    `Explainer.explain` of the predicted digit, integrated gradients with 16 steps in one forward
                    and backward pass over 16 × images, on the explanation thread (`explain-threads=1`).
                    `predict + explain` is what `/predict?explain=true` will do per request, without HTTP and
                    JSON. `predict` of 16 images runs the forward pass of a one-image explanation, without the
                    backward pass.

                    | call | images | requests/s | p50 (ms) | p99 (ms) |
                    |---|---|---|---|---|
                    """);
            List<Phase> phases = List.of(
                    Phase.of("| predict | 1 |", i -> predictor.predict(List.of(image(i)), null)),
                    Phase.of("| explain | 1 |", i -> explain(i, 1)),
                    Phase.of("| predict + explain | 1 |", i -> explainer.explain(List.of(image(i)),
                            predictor.predict(List.of(image(i)), null))),
                    Phase.of("| predict | 16 |", i -> predictor.predict(batch(i, 16), null)),
                    Phase.of("| explain | 4 |", i -> explain(i, 4)));
            List<Result> results = interleaved(phases, 1);
            for (int p = 0; p < phases.size(); p++) {
                Result r = results.get(p);
                table.append(phases.get(p).label() + " %.1f | %.2f | %.2f |%n".formatted(r.perSecond(), r.p50(), r.p99()));
            }
            System.out.print(table);
            return table.toString();
        }

        String isolation() {
            StringBuilder table = new StringBuilder("""
                    Single-image plain predictions (batching on, 2 inference workers), in interleaved rounds with
                    and without 2 clients sending single-image explanations back to back (so the explanation
                    thread is busy all along).

                    | explanations | predict concurrency | requests/s | p50 (ms) | p99 (ms) | explanations/s |
                    |---|---|---|---|---|---|
                    """);
            for (int concurrency : new int[] {1, 16}) {
                ExplanationLoad load = new ExplanationLoad();
                IntConsumer predict = i -> predictor.predict(List.of(image(i)), null);
                List<Result> results = interleaved(List.of(new Phase("none", () -> { }, () -> { }, predict),
                        new Phase("running", load::start, load::stop, predict)), concurrency);
                table.append("| none | %d | %.0f | %.2f | %.2f | - |%n".formatted(concurrency, results.get(0).perSecond(),
                        results.get(0).p50(), results.get(0).p99()));
                table.append("| running | %d | %.0f | %.2f | %.2f | %.1f |%n".formatted(concurrency,
                        results.get(1).perSecond(), results.get(1).p50(), results.get(1).p99(), load.perSecond()));
            }
            System.out.print(table);
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
            for (int done = 0; done <= 3000; done++) {
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

        /** Two clients explaining back to back while started; counts what they finish. */
        private final class ExplanationLoad {
            private final AtomicBoolean running = new AtomicBoolean();
            private final AtomicInteger explained = new AtomicInteger();
            private final List<Thread> clients = new ArrayList<>();
            private long nanos;
            private long startedAt;

            void start() {
                running.set(true);
                startedAt = System.nanoTime();
                for (int c = 0; c < 2; c++) {
                    int client = c;
                    Thread thread = new Thread(() -> {
                        for (int i = client; running.get(); i += 2) {
                            explain(i, 1);
                            explained.incrementAndGet();
                        }
                    });
                    thread.start();
                    clients.add(thread);
                }
            }

            void stop() {
                running.set(false);
                clients.forEach(ExplainBenchmark::join);
                clients.clear();
                nanos += System.nanoTime() - startedAt;
            }

            double perSecond() {
                return explained.get() / (nanos / 1e9);
            }
        }

        private void explain(int first, int count) {
            List<Integer> targets = new ArrayList<>(count);
            for (int j = 0; j < count; j++) {
                targets.add(predictions.get(Math.floorMod(first + j, images.size())).mostLikely());
            }
            explainer.explain(batch(first, count), targets, null);
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

    /** One kind of call, with what must run around its rounds. */
    private record Phase(String label, Runnable before, Runnable after, IntConsumer call) {
        static Phase of(String label, IntConsumer call) {
            return new Phase(label, () -> { }, () -> { }, call);
        }
    }

    private record Result(double perSecond, double p50, double p99) {
    }

    /**
     * One untimed round of each phase, then {@link #ROUNDS} timed rounds of each in turn, each a
     * closed loop on {@code clients} threads; every call's latency is kept.
     */
    private static List<Result> interleaved(List<Phase> phases, int clients) {
        List<List<long[]>> latencies = new ArrayList<>();
        phases.forEach(p -> latencies.add(new ArrayList<>()));
        for (int round = 0; round <= ROUNDS; round++) {
            for (int p = 0; p < phases.size(); p++) {
                Phase phase = phases.get(p);
                phase.before().run();
                long[] measured = round(phase.call(), clients);
                phase.after().run();
                if (round > 0) {
                    latencies.get(p).add(measured);
                }
            }
        }
        List<Result> results = new ArrayList<>();
        for (List<long[]> rounds : latencies) {
            long[] all = rounds.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            double seconds = ROUNDS * ROUND.toNanos() / 1e9;
            results.add(new Result(all.length / seconds, all[all.length / 2] / 1e6,
                    all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e6));
        }
        return results;
    }

    /** Closed loop for one round: the latency of every call that started within it. */
    private static long[] round(IntConsumer call, int clients) {
        long until = System.nanoTime() + ROUND.toNanos();
        AtomicInteger next = new AtomicInteger();
        List<long[]> perClient = new ArrayList<>();
        int[] counts = new int[clients];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long[] latencies = new long[20_000];
            perClient.add(latencies);
            int client = c;
            Thread thread = new Thread(() -> {
                int n = 0;
                for (long start = System.nanoTime(); start < until && n < latencies.length; start = System.nanoTime()) {
                    call.accept(next.getAndIncrement());
                    latencies[n++] = System.nanoTime() - start;
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
        return all;
    }

    /** The machine may be shared: how busy it was says how far the absolute figures can be trusted. */
    private static String loadAverage() {
        try {
            String oneMinute = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            return "\nLoad average (1 min) as the section started, this benchmark's own threads included: " + oneMinute
                    + " on " + Runtime.getRuntime().availableProcessors() + " cores shared with other work.\n";
        } catch (IOException e) {
            return "";
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
