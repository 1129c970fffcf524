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
import dev.digits.storage.AtomicFiles;
import dev.digits.storage.postgres.PostgresDatabase;
import dev.digits.storage.postgres.PostgresJobs;
import dev.digits.storage.postgres.PostgresModels;
import dev.digits.storage.filesystem.FilesystemJobs;
import dev.digits.storage.filesystem.FilesystemModels;
import dev.digits.storage.s3.S3Blobs;
import dev.digits.support.ModelVersions;
import dev.digits.support.PostgresServer;
import dev.digits.support.S3Server;
import dev.digits.support.ServiceProcess;
import dev.digits.support.SharedStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
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
    private static final int MEASURE_SECONDS = 15;

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
        figures[0] = time(() -> versions.add(ModelVersions.copyOf(registry, first)));
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

    /**
     * /predict through wrk against one serving JVM, then against two on the same store with the
     * connections split between them, at concurrency 16 and 64. Each JVM is warmed up alone first,
     * until its JIT compiler has settled, so that neither is measured while it still compiles.
     */
    private static String twoServersAgainstOne(SharedStore store, Path work) throws Exception {
        Wrk.require();
        Path bodies = Files.createDirectories(work.resolve("bodies"));
        Wrk.writeBodies(bodies, 100);
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
            List<Integer> warmUps = new ArrayList<>();
            for (ServiceProcess server : servers) {
                warmUps.add(Wrk.warmUp(predict(server), "predict", bodies, server.pid()));
            }
            StringBuilder rows = new StringBuilder();
            StringBuilder reading = new StringBuilder();
            for (int concurrency : new int[] {16, 64}) {
                Row one = row("1", concurrency, servers.subList(0, 1), bodies);
                Row two = row("2", concurrency, servers, bodies);
                rows.append(one.markdown()).append(two.markdown());
                reading.append(String.format(Locale.ROOT, " At %d connections two JVMs serve %.0f %% of what one serves: "
                                + "each forms batches of %.1f images instead of %.1f, and the service CPU per request goes "
                                + "from %.2f to %.2f ms.", concurrency, 100 * two.perSecond() / one.perSecond(),
                        two.batch(), one.batch(), one.cpuMillis(), two.cpuMillis()));
            }
            return """
                    `/predict` with MNIST test digits as JSON pixels, driven by `wrk`, %d s measured per row, after each
                    JVM was warmed up alone until its JIT compiler had settled (%s s). With two JVMs the connections are
                    split between them, each half driven by a wrk of its own at the same time. wrk, both JVMs, PostgreSQL
                    and S3Proxy share the machine's two cores, so a second JVM adds no CPU: the comparison shows what a
                    second JVM costs on the same cores, not what a second machine gains. "Service CPU" is the serving
                    JVMs' CPU time per request, summed over them; the batch is the mean number of images per forward pass.

                    | serving JVMs | connections | requests/s | p50 (ms) | p99 (ms) | failed | service CPU per request (ms) | batch |
                    |---|---|---|---|---|---|---|---|
                    %s
                    **Reading.**%s Each JVM sees half of the connections, so its batches are half as large, and a forward
                    pass costs more per image over fewer images (see "Serving throughput", the model alone by batch size).
                    The store plays no part: `/predict` answers from the model in memory. A second serving replica pays
                    off on a second machine, where it brings its own cores. Measured before the JIT settles, a row also pays
                    for compiling: 20 s into the load, C2 still used about 60 %% of a core here, which is what made an
                    earlier run of this comparison, with 5 s of warm-up on a loaded machine, collapse.
                    """.formatted(MEASURE_SECONDS, warmUps.stream().map(String::valueOf).collect(Collectors.joining(" and ")),
                    rows, reading);
        } finally {
            servers.forEach(ServiceProcess::kill);
        }
    }

    /** One row of the table, and the figures the reading compares. */
    private record Row(String markdown, double perSecond, double cpuMillis, double batch) {
    }

    /** One row: wrk at {@code concurrency} connections split evenly over {@code servers}, all at once. */
    private static Row row(String label, int concurrency, List<ServiceProcess> servers, Path bodies) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(servers.size());
        try {
            Usage before = Usage.of(servers);
            List<Future<Wrk.Result>> runs = new ArrayList<>();
            for (ServiceProcess server : servers) {
                runs.add(clients.submit(() -> Wrk.run(predict(server), "predict", bodies,
                        concurrency / servers.size(), MEASURE_SECONDS)));
            }
            List<Wrk.Result> results = new ArrayList<>();
            for (Future<Wrk.Result> run : runs) {
                results.add(run.get());
            }
            Usage used = Usage.of(servers).minus(before);
            double perSecond = results.stream().mapToDouble(Wrk.Result::perSecond).sum();
            double cpuMillis = 1000 * used.cpuSeconds() / (perSecond * MEASURE_SECONDS);
            double batch = used.batches().meanBatch();
            return new Row(String.format(Locale.ROOT, "| %s | %d | %.0f | %s | %s | %d | %.2f | %.1f |%n", label,
                    concurrency, perSecond, joined(results, Wrk.Result::p50Millis), joined(results, Wrk.Result::p99Millis),
                    results.stream().mapToLong(Wrk.Result::failed).sum(), cpuMillis, batch), perSecond, cpuMillis, batch);
        } finally {
            clients.shutdownNow();
        }
    }

    /** The CPU seconds and the forward passes of the serving JVMs so far, summed over them. */
    private record Usage(double cpuSeconds, Batches batches) {

        static Usage of(List<ServiceProcess> servers) throws Exception {
            double cpu = 0;
            Batches batches = Batches.NONE;
            for (ServiceProcess server : servers) {
                cpu += ProcessCpu.seconds(server.pid());
                batches = batches.plus(Batches.of("http://127.0.0.1:" + server.port()));
            }
            return new Usage(cpu, batches);
        }

        Usage minus(Usage earlier) {
            return new Usage(cpuSeconds - earlier.cpuSeconds, batches.minus(earlier.batches));
        }
    }

    private static String joined(List<Wrk.Result> results, ToDoubleFunction<Wrk.Result> figure) {
        return results.stream().map(r -> String.format(Locale.ROOT, "%.1f", figure.applyAsDouble(r)))
                .collect(Collectors.joining(" / "));
    }

    private static String predict(ServiceProcess server) {
        return "http://127.0.0.1:" + server.port() + "/predict";
    }
}
