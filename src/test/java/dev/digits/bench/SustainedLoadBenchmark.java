package dev.digits.bench;

import dev.digits.DigitsApplication;
import dev.digits.security.ApiKeys;
import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ProcessMemory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Minutes of {@code /predict} load at concurrency 16 while a training job runs and production is
 * promoted and rolled back every few seconds: failed requests, latency and resident memory over
 * time. Writes docs/benchmarks.md.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.SustainedLoadBenchmark -Dexec.args=3</pre>
 * (the argument is the duration in minutes; 3 by default).
 */
public final class SustainedLoadBenchmark {

    private static final String ADMIN_KEY = "benchmark-admin-key";
    private static final Duration SWAP_EVERY = Duration.ofSeconds(5);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(15);

    private SustainedLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path home = Files.createTempDirectory("digits-sustained");
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            bodies.add(("{\"pixels\":" + MnistImages.pixelsJson(i) + "}").getBytes(StandardCharsets.UTF_8));
        }
        AtomicInteger next = new AtomicInteger();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(DigitsApplication.class)
                .run("--server.port=0", "--digits.home=" + home, "--logging.level.root=WARN",
                        "--digits.security.rate-limit.enabled=false",
                        "--digits.security.admin-key-hashes=" + ApiKeys.sha256(ADMIN_KEY))) {
            int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
            Http http = new Http(port, ADMIN_KEY);
            String first = http.get("/models").json().get("production").asString();
            String second = http.post("/models", "application/zip", http.get("/models/" + first + "/download").raw().body())
                    .json().get("version").asString();
            String job = http.postJson("/jobs", "{\"type\":\"train\",\"dataset\":\"mnist\",\"epochs\":20}").json()
                    .get("id").asString();

            List<String> memory = new ArrayList<>();
            AtomicInteger swaps = new AtomicInteger();
            AtomicInteger swapFailures = new AtomicInteger();
            long start = System.nanoTime();
            ScheduledExecutorService background = Executors.newScheduledThreadPool(2);
            background.scheduleAtFixedRate(() -> {
                String target = swaps.get() % 2 == 0 ? second : first;
                int status = http.post("/models/" + target + "/promote").status();
                swaps.incrementAndGet();
                if (status != 200) {
                    swapFailures.incrementAndGet();
                }
            }, SWAP_EVERY.toMillis(), SWAP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            background.scheduleAtFixedRate(() -> memory.add("| %.0f | %.0f | %.0f |".formatted(
                    (System.nanoTime() - start) / 1e9, ProcessMemory.rssMiB(),
                    Runtime.getRuntime().totalMemory() / 1048576.0)), 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);

            LoadGenerator.Result load = LoadGenerator.run(URI.create("http://localhost:" + port + "/predict"),
                    "application/json", () -> bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size())), 16,
                    Duration.ofSeconds(5), Duration.ofMinutes(minutes));
            background.shutdownNow();
            String jobState = http.get("/jobs/" + job).json().get("state").asString();
            String jobProgress = "%.1f".formatted(http.get("/jobs/" + job).json().at("/progress/percent").asDouble());
            http.post("/jobs/" + job + "/cancel");

            String body = """
                    %d minutes, closed loop at concurrency 16 (single-image JSON), batching on, while a `cnn` training
                    job on MNIST runs (1 training thread) and production is promoted to the other version every %d s
                    (%d promotions, %d failed). The job was %s, %s %% done, when the load stopped.

                    | requests | failed | requests/s | p50 (ms) | p99 (ms) |
                    |---|---|---|---|---|
                    | %d | %d | %.0f | %.2f | %.2f |

                    Memory of the process (service, training job and load generator in one JVM), every %d s. Resident
                    memory includes the JVM heap, which grows until the collector settles; what is left is PyTorch's
                    native memory and the JVM's own.

                    | time (s) | resident (MiB) | JVM heap committed (MiB) |
                    |---|---|---|
                    %s
                    """.formatted(minutes, SWAP_EVERY.toSeconds(), swaps.get(), swapFailures.get(), jobState, jobProgress,
                    load.requests(), load.failures(), load.perSecond(), load.p50Millis(), load.p99Millis(),
                    SAMPLE_EVERY.toSeconds(), String.join("\n", memory));
            BenchmarkReport.write("sustained-load", "Sustained load with training and repeated promotions",
                    "./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.SustainedLoadBenchmark -Dexec.args="
                            + minutes, body);
        }
    }
}
