package dev.digits.bench;

import ai.djl.Device;
import ai.djl.Model;
import dev.digits.jobs.Job;
import dev.digits.jobs.JobRepository;
import dev.digits.jobs.JobRequest;
import dev.digits.jobs.JobState;
import dev.digits.jobs.JobType;
import dev.digits.model.ModelArchive;
import dev.digits.registry.ModelRegistry;
import dev.digits.registry.ModelRepository;
import dev.digits.registry.OpenedModel;
import dev.digits.registry.RegistryProperties;
import dev.digits.registry.StagedModel;
import dev.digits.storage.AtomicFiles;
import dev.digits.storage.postgres.PostgresDatabase;
import dev.digits.storage.postgres.PostgresJobs;
import dev.digits.storage.postgres.PostgresModels;
import dev.digits.storage.filesystem.FilesystemJobs;
import dev.digits.storage.filesystem.FilesystemModels;
import dev.digits.storage.s3.S3Blobs;
import dev.digits.support.MnistImages;
import dev.digits.support.PostgresServer;
import dev.digits.support.S3Server;
import dev.digits.support.ServiceProcess;
import dev.digits.support.SharedStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.util.unit.DataSize;

/**
 * What the PostgreSQL + S3 store costs against the filesystem store, side by side in one run, on
 * real servers (Debian's PostgreSQL in a temporary cluster, S3Proxy): registering a version,
 * promoting one (load, warm-up and swap included), loading a version whose parameters are not
 * cached yet, and claiming a job; then {@code /predict} throughput with two serving JVMs on the
 * shared store against one. Writes docs/benchmarks.md.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.StorageBenchmark</pre>
 */
public final class StorageBenchmark {

    private static final int REPEATS = 20;
    private static final int JOBS = 200;

    private StorageBenchmark() {
    }

    private record Store(String name, ModelRepository models, JobRepository jobs, Runnable dropCache) {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Path work = Files.createTempDirectory("storage-benchmark");
        PostgresServer postgres = PostgresServer.shared();
        S3Server s3 = S3Server.shared();
        SharedStore shared = SharedStore.create(postgres, s3);
        PostgresDatabase database = new PostgresDatabase(PostgresDatabase.pool(postgres.jdbcUrl(shared.database()),
                postgres.username(), postgres.password()));
        database.migrate();
        S3Blobs blobs = new S3Blobs(s3.client(), shared.bucket(), "");
        Path pgHome = work.resolve("postgres-home");
        List<Store> stores = List.of(
                new Store("filesystem", new FilesystemModels(work.resolve("fs/models")),
                        new FilesystemJobs(work.resolve("fs/jobs")), () -> { }),
                new Store("PostgreSQL + S3", new PostgresModels(database, blobs, pgHome),
                        new PostgresJobs(database, blobs, pgHome.resolve("checkpoints")),
                        () -> AtomicFiles.deleteQuietly(pgHome.resolve("cache"))));

        StringBuilder table = new StringBuilder("""
                Each figure is the median (p90) over %d repetitions, in milliseconds; PostgreSQL and S3Proxy run
                on the same two cores as the benchmark, so the network is loopback and the figures are the cost of
                the protocols, not of a network.

                | operation | filesystem | PostgreSQL + S3 |
                |---|---|---|
                """.formatted(REPEATS));
        List<double[][]> figures = new ArrayList<>();
        for (Store store : stores) {
            figures.add(measure(store));
        }
        String[] operations = {"register a version (stage → version)", "change an alias (transaction + notify)",
                "promote to production (load, warm up, swap)", "load a version, parameters not cached locally",
                "claim a job (of " + JOBS + " queued)"};
        for (int op = 0; op < operations.length; op++) {
            table.append("| ").append(operations[op]);
            for (double[][] figure : figures) {
                table.append(String.format(Locale.ROOT, " | %.1f (%.1f)", figure[op][0], figure[op][1]));
            }
            table.append(" |\n");
        }
        table.append("\n").append(twoServersAgainstOne(shared, work));
        BenchmarkReport.write("storage", "Storage: filesystem against PostgreSQL + S3",
                "./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.StorageBenchmark", table.toString());
        System.exit(0);
    }

    /** @return per operation, {median, p90} in milliseconds */
    private static double[][] measure(Store store) throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ModelRegistry registry = new ModelRegistry(store.models(), new RegistryProperties(Duration.ofMinutes(10), 2,
                DataSize.ofMegabytes(64)), Device.cpu(), meters);
        registry.afterPropertiesSet();
        String first = registry.productionVersion();
        double[][] figures = new double[5][];
        List<String> versions = new ArrayList<>();
        figures[0] = time(() -> versions.add(copyOf(registry, first)));
        figures[1] = time(() -> registry.promote(first, "benchmark"));
        int[] turn = {0};
        figures[2] = time(() -> registry.promote(turn[0]++ % 2 == 0 ? versions.get(0) : first, ModelRegistry.PRODUCTION));
        figures[3] = time(() -> {
            store.dropCache().run();
            OpenedModel opened = store.models().open(versions.get(turn[0]++ % versions.size()));
            try (Model model = ModelArchive.load(opened.folder(), opened.metadata(), Device.cpu())) {
                return model.getName();
            }
        });
        for (int i = 0; i < JOBS; i++) {
            store.jobs().insert(new Job(String.format("bench-%05d-%s", i, store.name().length()),
                    new JobRequest(JobType.TRAIN, "cnn", null, "mnist", 1, 64, "adam", 0.001f, "cosine", 0f, false,
                            1L, 0.1f, false, null, null), null, JobState.QUEUED, Instant.now(), null, null, null, null,
                    List.of(), null, null, 0, null));
        }
        figures[4] = time(() -> store.jobs().claim("benchmark", Duration.ofMinutes(5), false).orElseThrow());
        registry.destroy();
        return figures;
    }

    private static String copyOf(ModelRegistry registry, String version) throws Exception {
        StagedModel staging = registry.stage();
        Files.createDirectories(staging.folder());
        for (String name : new String[] {ModelArchive.PARAMETERS, ModelArchive.METADATA}) {
            Files.copy(registry.open(version).folder().resolve(name), staging.folder().resolve(name));
        }
        // A different model each time, as a job's would be: the last byte of its metadata's lineage changes.
        return registry.register(staging);
    }

    private static double[] time(Callable<?> operation) throws Exception {
        operation.call(); // warm-up
        double[] millis = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            long start = System.nanoTime();
            operation.call();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return new double[] {millis[REPEATS / 2], millis[(int) Math.ceil(REPEATS * 0.9) - 1]};
    }

    /** /predict at concurrency 16 against one serving JVM, then 8 + 8 against two on the same store. */
    private static String twoServersAgainstOne(SharedStore store, Path work) throws Exception {
        List<ServiceProcess> servers = new ArrayList<>();
        try {
            for (int i = 1; i <= 2; i++) {
                List<String> arguments = new ArrayList<>(store.arguments());
                arguments.add("--digits.jobs.concurrent=0");
                ServiceProcess server = new ServiceProcess(work.resolve("server-" + i), work.resolve("server-" + i + ".log"),
                        arguments.toArray(String[]::new));
                server.start();
                servers.add(server);
            }
            byte[] body = ("{\"pixels\":" + MnistImages.pixelsJson(0) + "}").getBytes(StandardCharsets.UTF_8);
            Duration warmUp = Duration.ofSeconds(5);
            Duration measure = Duration.ofSeconds(20);
            LoadGenerator.Result one = LoadGenerator.run(predict(servers.get(0)), "application/json", () -> body, 16,
                    warmUp, measure);
            ExecutorService both = Executors.newFixedThreadPool(2);
            List<Future<LoadGenerator.Result>> halves = new ArrayList<>();
            for (ServiceProcess server : servers) {
                halves.add(both.submit(() -> LoadGenerator.run(predict(server), "application/json", () -> body, 8,
                        warmUp, measure)));
            }
            LoadGenerator.Result a = halves.get(0).get();
            LoadGenerator.Result b = halves.get(1).get();
            both.shutdown();
            return """
                    `/predict` with one MNIST image as JSON pixels, closed loop at concurrency 16, %d s measured after %d s of
                    warm-up; the load generator, both JVMs, PostgreSQL and S3Proxy share the machine's two cores, so a
                    second JVM adds no CPU: it can only show what a second JVM costs, not what a second machine gains.

                    | serving JVMs | requests/s | p50 (ms) | p99 (ms) | failed |
                    |---|---|---|---|---|
                    | 1 (16 connections) | %.0f | %.1f | %.1f | %d |
                    | 2 (8 + 8 connections) | %.0f | %.1f / %.1f | %.1f / %.1f | %d |
                    """.formatted(measure.toSeconds(), warmUp.toSeconds(), one.perSecond(), one.p50Millis(),
                    one.p99Millis(), one.failures(), a.perSecond() + b.perSecond(), a.p50Millis(), b.p50Millis(),
                    a.p99Millis(), b.p99Millis(), a.failures() + b.failures());
        } finally {
            servers.forEach(ServiceProcess::kill);
        }
    }

    private static URI predict(ServiceProcess server) {
        return URI.create("http://127.0.0.1:" + server.port() + "/predict");
    }
}
