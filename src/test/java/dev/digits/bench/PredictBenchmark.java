package dev.digits.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.NoopTranslator;
import dev.digits.DigitsApplication;
import dev.digits.data.LabelledImages;
import dev.digits.model.Architectures;
import dev.digits.model.InputContract;
import dev.digits.model.ModelArchive;
import dev.digits.model.ModelMetadata;
import dev.digits.security.ApiKeys;
import dev.digits.support.MnistImages;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /predict} over HTTP with batching on and off at concurrency 1, 16 and 64 (single 28×28 JSON
 * requests), beside the model alone in process at the same batch sizes. Writes docs/benchmarks.md.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.PredictBenchmark</pre>
 */
public final class PredictBenchmark {

    private static final String COMMAND = "./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.PredictBenchmark";
    private static final int[] CONCURRENCY = {1, 16, 64};
    private static final Duration WARM_UP = Duration.ofSeconds(2);
    private static final Duration MEASURE = Duration.ofSeconds(8);
    private static final Duration JIT_WARM_UP = Duration.ofSeconds(8);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A key for the benchmark's own service instances; only its hash is given to them. */
    private static final String ADMIN_KEY = "benchmark-admin-key";

    private PredictBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            bodies.add(("{\"pixels\":" + MnistImages.pixelsJson(i) + "}").getBytes(StandardCharsets.UTF_8));
        }
        AtomicInteger next = new AtomicInteger();
        StringBuilder http = new StringBuilder("""
                Single-image JSON requests (`{"pixels": [784 values]}`), closed loop: each client thread sends the
                next request when the previous answer arrives, after 8 s of untimed load per service instance for
                the JIT. Client and service share the machine's cores. Two rounds, the second in the opposite
                order, because the first instance in the JVM runs slower for a while: compare within round 2.
                Batching: `max-batch-size=32`, `max-batch-delay=2ms`, 2 workers; off: each request runs the model on
                its own Tomcat thread.

                | round | batching | concurrency | requests/s | p50 (ms) | p99 (ms) | failed |
                |---|---|---|---|---|---|---|
                """);
        // Two rounds, the second in the opposite order: the first service instance in a JVM runs slower
        // for a while (measured: it reversed the comparison), so compare rows of the second round.
        for (int round = 1; round <= 2; round++) {
            for (boolean batching : round == 1 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                http.append(measureHttp(round, batching, bodies, next));
            }
        }
        BenchmarkReport.write("predict-http", "Predict over HTTP: batching on vs off", COMMAND, http.toString());
        BenchmarkReport.write("predict-during-training", "Predict latency while a training job runs", COMMAND,
                duringTraining(bodies, next));
        BenchmarkReport.write("predict-model-only", "Model-only inference throughput (in process)", COMMAND,
                modelOnly());
    }

    private static String measureHttp(int round, boolean batching, List<byte[]> bodies, AtomicInteger next)
            throws Exception {
        StringBuilder rows = new StringBuilder();
        Path home = Files.createTempDirectory("digits-bench-home");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(DigitsApplication.class)
                .run("--server.port=0", "--digits.home=" + home, "--digits.inference.batching=" + batching,
                        "--logging.level.root=WARN", "--digits.security.rate-limit.enabled=false",
                        "--digits.security.admin-key-hashes=" + ApiKeys.sha256(ADMIN_KEY))) {
            URI uri = URI.create("http://localhost:" + app.getEnvironment().getProperty("local.server.port") + "/predict");
            // Untimed, for the JIT.
            LoadGenerator.run(uri, "application/json",
                    () -> bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size())), 16, WARM_UP, JIT_WARM_UP);
            for (int concurrency : CONCURRENCY) {
                LoadGenerator.Result r = LoadGenerator.run(uri, "application/json",
                        () -> bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size())), concurrency, WARM_UP,
                        MEASURE);
                String row = "| %d | %s | %d | %.0f | %.2f | %.2f | %d |%n".formatted(round, batching ? "on" : "off",
                        concurrency, r.perSecond(), r.p50Millis(), r.p99Millis(), r.failures());
                System.out.print(row);
                rows.append(row);
            }
        }
        return rows.toString();
    }

    /**
     * Concurrency 16 with batching on, idle and while a {@code cnn} training job on MNIST runs in the
     * same process, with the training thread limited to 1 PyTorch thread (the default) and to 2.
     */
    static String duringTraining(List<byte[]> bodies, AtomicInteger next) throws Exception {
        StringBuilder table = new StringBuilder("""
                Concurrency 16, batching on, single-image JSON requests. The job trains the `cnn` on MNIST in the
                same JVM; `digits.jobs.training-threads` caps the PyTorch threads of the training thread only.

                | training | training threads | requests/s | p50 (ms) | p99 (ms) | failed | job state, images/s |
                |---|---|---|---|---|---|---|
                """);
        for (int threads : new int[] {1, 2}) {
            Path home = Files.createTempDirectory("digits-bench-home");
            try (ConfigurableApplicationContext app = new SpringApplicationBuilder(DigitsApplication.class)
                    .run("--server.port=0", "--digits.home=" + home, "--digits.jobs.training-threads=" + threads,
                            "--logging.level.root=WARN", "--digits.security.rate-limit.enabled=false",
                            "--digits.security.admin-key-hashes=" + ApiKeys.sha256(ADMIN_KEY))) {
                String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
                URI predict = URI.create(base + "/predict");
                if (threads == 1) {
                    table.append(row("idle", "-", LoadGenerator.run(predict, "application/json",
                            () -> bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size())), 16, WARM_UP, MEASURE), "-"));
                }
                HttpClient client = HttpClient.newHttpClient();
                String job = client.send(HttpRequest.newBuilder(URI.create(base + "/jobs"))
                        .header("Content-Type", "application/json").header("X-API-Key", ADMIN_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"train\",\"dataset\":\"mnist\",\"epochs\":1}"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                String id = JSON.readTree(job).get("id").asString();
                LoadGenerator.Result r = LoadGenerator.run(predict, "application/json",
                        () -> bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size())), 16, WARM_UP, MEASURE);
                JsonNode status = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + id))
                        .header("X-API-Key", ADMIN_KEY).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                String ips = status.get("state").asString() + ", " + Math.round(status.at("/progress/imagesPerSecond").asDouble());
                client.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + id + "/cancel")).header("X-API-Key", ADMIN_KEY)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                table.append(row("job running", String.valueOf(threads), r, ips));
            }
        }
        return table.toString();
    }

    private static String row(String training, String threads, LoadGenerator.Result r, String jobRate) {
        String row = "| %s | %s | %.0f | %.2f | %.2f | %d | %s |%n".formatted(training, threads, r.perSecond(),
                r.p50Millis(), r.p99Millis(), r.failures(), jobRate);
        System.out.print(row);
        return row;
    }

    /** The bundled model through one DJL predictor, no HTTP, no queue: the ceiling for each batch size. */
    static String modelOnly() throws Exception {
        Path folder = Files.createTempDirectory("digits-bench-model");
        for (String name : new String[] {ModelArchive.PARAMETERS, ModelArchive.METADATA}) {
            try (InputStream in = PredictBenchmark.class.getResourceAsStream("/bundled-model/" + name)) {
                Files.copy(in, folder.resolve(name));
            }
        }
        ModelMetadata metadata = ModelArchive.readMetadata(folder);
        LabelledImages test = MnistImages.test();
        StringBuilder table = new StringBuilder("""
                The bundled `cnn` through one DJL `Predictor` (gradients off), inputs already normalized.

                | batch size | images/s | ms per batch |
                |---|---|---|
                """);
        try (Model model = ModelArchive.load(folder, metadata, Device.cpu());
             Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            JniUtils.setGradMode(false);
            for (int batch : new int[] {1, 16, 32, 64}) {
                float[] input = new float[batch * InputContract.PIXELS];
                for (int i = 0; i < batch; i++) {
                    test.copyUnit(i, input, i * InputContract.PIXELS);
                }
                InputContract.normalize(input, 0, input.length);
                long images = 0;
                long start = 0;
                long end = System.nanoTime() + WARM_UP.toNanos() + Duration.ofSeconds(5).toNanos();
                long measureFrom = System.nanoTime() + WARM_UP.toNanos();
                while (System.nanoTime() < end) {
                    try (NDManager scope = NDManager.newBaseManager(Device.cpu())) {
                        predictor.predict(new NDList(scope.create(input, Architectures.inputShape(batch))))
                                .singletonOrThrow().toFloatArray();
                    }
                    if (System.nanoTime() >= measureFrom) {
                        if (start == 0) {
                            start = System.nanoTime();
                        } else {
                            images += batch;
                        }
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                String row = "| %d | %.0f | %.3f |%n".formatted(batch, images / seconds, 1000.0 * seconds / (images / batch));
                System.out.print(row);
                table.append(row);
            }
        }
        return table.toString();
    }
}
