package dev.digits.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.NoopTranslator;
import com.sun.management.OperatingSystemMXBean;
import dev.digits.data.LabelledImages;
import dev.digits.model.Architectures;
import dev.digits.model.BatchNormFolding;
import dev.digits.model.InputContract;
import dev.digits.model.ModelArchive;
import dev.digits.model.ModelMetadata;
import dev.digits.security.ApiKeys;
import dev.digits.support.MnistImages;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serving throughput as a client sees it: {@code wrk} against {@code /predict} JSON, the Open
 * Inference Protocol's JSON and binary forms (single 28×28 images), at concurrency 1, 16 and 64,
 * beside the model alone in process, for each {@code digits.inference.precision}. Reports requests/s,
 * p50 and p99, where the cores went during each run (the service, wrk, everything else), the targets
 * of the performance issue, and writes the section "serving-throughput" of docs/benchmarks.md.
 *
 * <p>The service runs as in production, {@code java -jar target/digits.jar} (build it first), in a
 * process of its own. {@code -Dbench.baselineJar=<an older digits.jar>} (and {@code
 * -Dbench.baselineLabel=<what it is>}) runs the same requests against that build too, in the same
 * run, for a before/after comparison. Needs {@code wrk} on the
 * PATH. On a shared machine the benchmark raises its own scheduling priority (its session's
 * autogroup, which is what {@code nice} competes within on Linux) while it runs, when it may.
 *
 * <pre>./mvnw -o -q package -DskipTests
 * nice -n -10 ./mvnw -o -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.ThroughputBenchmark</pre>
 */
public final class ThroughputBenchmark {

    private static final String COMMAND = "./mvnw -o -q package -DskipTests && nice -n -10 ./mvnw -o -q test-compile "
            + "exec:java -Dexec.mainClass=dev.digits.bench.ThroughputBenchmark";
    private static final int[] CONCURRENCY = {1, 16, 64};
    private static final int MEASURE_SECONDS = Integer.getInteger("bench.seconds", 15);
    private static final int BODIES = 100;
    private static final String ADMIN_KEY = "benchmark-admin-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** One way of sending one image. */
    enum Endpoint {
        PREDICT_JSON("/predict JSON", "/predict", "predict"),
        V2_JSON("v2 JSON", "/v2/models/digits/infer", "v2json"),
        V2_BINARY("v2 binary", "/v2/models/digits/infer", "v2bin");

        final String label;
        final String path;
        final String kind;

        Endpoint(String label, String path, String kind) {
            this.label = label;
            this.path = path;
            this.kind = kind;
        }
    }

    /**
     * What one wrk run measured, and where the machine's CPU went meanwhile, in cores (2.00 = both
     * cores all the time): the service, of it its inference workers (the forward passes) and its
     * request threads (HTTP, parsing, everything else of a request), wrk, and all other processes.
     */
    record Run(Endpoint endpoint, int concurrency, double perSecond, double p50Millis, double p99Millis, long failed,
               double serviceCores, double workerCores, double requestThreadCores, double wrkCores, double otherCores,
               double meanBatch, double load) {

        /** CPU milliseconds the service spent per request. */
        double serviceMillisPerRequest() {
            return 1000 * serviceCores / perSecond;
        }
    }

    private ThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Wrk.require();
        Path jar = Path.of(System.getProperty("bench.jar", "target/digits.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw -o -q package -DskipTests)");
        }
        String baseline = System.getProperty("bench.baselineJar");
        String priority = raisePriority();
        Path work = Files.createTempDirectory("digits-throughput");
        Wrk.writeBodies(work, BODIES);
        String loadBefore = loadAverage();

        // Every service runs side by side, idle but for its turn, and the rows of one endpoint and
        // concurrency follow each other (in alternating order), so that a machine whose speed drifts
        // (other processes, other virtual machines on the host) drifts for all of them alike.
        List<Service> services = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        try {
            if (baseline != null) {
                String label = System.getProperty("bench.baselineLabel", Path.of(baseline).getFileName().toString());
                services.add(Service.start("before (" + label + ", fp32)", Path.of(baseline), null));
            }
            for (String precision : new String[] {"fp32", "bf16"}) {
                try {
                    services.add(Service.start(precision, jar, precision));
                } catch (ServiceRefused e) {
                    refused.put(precision, e.getMessage());
                    System.out.println(precision + ": the service refused to start: " + e.getMessage());
                }
            }
            for (Service service : services) { // untimed: until the JIT has settled, at both loads
                for (Endpoint endpoint : Endpoint.values()) {
                    Wrk.warmUp(service.base + endpoint.path, endpoint.kind, work, service.process.pid());
                }
            }
            Map<String, Double> modelFirst = modelOnly();
            Map<String, List<Run>> runs = new LinkedHashMap<>();
            services.forEach(service -> runs.put(service.label, new ArrayList<>()));
            int turn = 0;
            for (Endpoint endpoint : Endpoint.values()) {
                for (int concurrency : CONCURRENCY) {
                    List<Service> order = new ArrayList<>(services);
                    if (turn++ % 2 == 1) {
                        java.util.Collections.reverse(order);
                    }
                    for (Service service : order) {
                        Run run = measure(service.base, service.process, endpoint, work, concurrency);
                        System.out.printf(Locale.ROOT, "%s %s c%d: %.0f req/s, p50 %.2f ms, p99 %.2f ms, failed %d, "
                                        + "mean batch %.1f, cores: service %.2f (workers %.2f, request threads %.2f), "
                                        + "wrk %.2f, other %.2f%n",
                                service.label, endpoint.label, concurrency, run.perSecond(), run.p50Millis(),
                                run.p99Millis(), run.failed(), run.meanBatch(), run.serviceCores(), run.workerCores(),
                                run.requestThreadCores(), run.wrkCores(), run.otherCores());
                        runs.get(service.label).add(run);
                    }
                }
            }
            Map<String, Double> modelLast = modelOnly();
            String loadAfter = loadAverage();
            String command = baseline == null ? COMMAND : COMMAND + " -Dbench.baselineJar=" + baseline
                    + (System.getProperty("bench.baselineLabel") == null ? ""
                    : " '-Dbench.baselineLabel=" + System.getProperty("bench.baselineLabel") + "'");
            BenchmarkReport.write("serving-throughput", "Serving throughput: /predict, v2 JSON, v2 binary and the "
                    + "model alone", command, report(runs, refused, modelFirst, modelLast, loadBefore, loadAfter,
                    priority));
        } finally {
            for (Service service : services) {
                service.stop();
            }
        }
    }

    /** The service would not start; the message is its own reason. */
    static final class ServiceRefused extends Exception {

        ServiceRefused(String reason) {
            super(reason);
        }
    }

    /** One service process, ready. */
    record Service(String label, Process process, String base) {

        /** @param precision the setting, or null to leave it out (builds that predate it) */
        static Service start(String label, Path jar, String precision) throws Exception {
            Path home = Files.createTempDirectory("digits-throughput-home");
            Path log = home.resolve("service.log");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                    "-jar", jar.toString(), "--server.port=" + port, "--digits.home=" + home,
                    "--logging.level.root=WARN", "--digits.security.rate-limit.enabled=false",
                    "--digits.security.admin-key-hashes=" + ApiKeys.sha256(ADMIN_KEY)));
            if (precision != null) {
                command.add("--digits.inference.precision=" + precision);
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            String base = "http://localhost:" + port;
            try {
                awaitReady(process, base, log);
            } catch (Exception e) {
                process.destroyForcibly();
                throw e;
            }
            return new Service(label, process, base);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static void awaitReady(Process service, String base, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new ServiceRefused(startFailure(Files.readString(log)));
            }
            try {
                if (get(base + "/actuator/health/readiness").statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the service was not ready within 3 minutes; see " + log);
    }

    /** Spring Boot's account of a failed start: its "Reason:", else the last line of the log. */
    private static String startFailure(String log) {
        Matcher reason = Pattern.compile("(?m)^\\s*Reason: (?:[\\w.]+Exception: )?(.+)$").matcher(log);
        if (reason.find()) {
            return reason.group(1).trim();
        }
        String[] lines = log.strip().split("\n");
        return lines.length == 0 ? "no output" : lines[lines.length - 1];
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Run measure(String base, Process service, Endpoint endpoint, Path work,
                               int concurrency) throws Exception {
        double load = OS.getSystemLoadAverage();
        Batches batchesBefore = Batches.of(base);
        long[] machineBefore = machineTicks();
        Map<String, Double> threadsBefore = ProcessCpu.byThreadPrefix(service.pid(), WORKERS, REQUESTS);
        long started = System.nanoTime();
        Wrk.Result wrk = Wrk.run(base + endpoint.path, endpoint.kind, work, concurrency, MEASURE_SECONDS);
        double wall = (System.nanoTime() - started) / 1e9;
        Map<String, Double> threadsAfter = ProcessCpu.byThreadPrefix(service.pid(), WORKERS, REQUESTS);
        long[] machineAfter = machineTicks();
        Batches batches = Batches.of(base).minus(batchesBefore);
        double busy = (machineAfter[0] - machineBefore[0]) / (double) Math.max(1, machineAfter[1] - machineBefore[1])
                * Runtime.getRuntime().availableProcessors();
        double serviceCores = (threadsAfter.get("") - threadsBefore.get("")) / wall;
        double workerCores = (threadsAfter.get(WORKERS) - threadsBefore.get(WORKERS)) / wall;
        double requestCores = (threadsAfter.get(REQUESTS) - threadsBefore.get(REQUESTS)) / wall;
        double wrkCores = wrk.cpuSeconds() / wall;
        return new Run(endpoint, concurrency, wrk.perSecond(), wrk.p50Millis(), wrk.p99Millis(), wrk.failed(),
                serviceCores, workerCores, requestCores, wrkCores, Math.max(0, busy - serviceCores - wrkCores),
                batches.meanBatch(), load);
    }

    /** Thread-name prefixes: the inference workers, and Tomcat's threads ({@code http-nio-<port>-exec-N} and its poller). */
    private static final String WORKERS = "inference-";
    private static final String REQUESTS = "http-nio-";

    /**
     * The bundled model alone, no HTTP and no queue: {@code workers} threads, each with its own
     * predictor on {@code threads} PyTorch threads, in a loop over one batch of real test digits.
     * The layouts: the service's own (2 workers × 1 thread) at the batch sizes it forms, and one
     * predictor spread over both cores at batch 64 (as the figure in the issue was measured).
     *
     * @return images/s by layout and batch size
     */
    static Map<String, Double> modelOnly() throws Exception {
        Path folder = Files.createTempDirectory("digits-bench-model");
        for (String name : new String[] {ModelArchive.PARAMETERS, ModelArchive.METADATA}) {
            try (InputStream in = ThroughputBenchmark.class.getResourceAsStream("/bundled-model/" + name)) {
                Files.copy(in, folder.resolve(name));
            }
        }
        ModelMetadata metadata = ModelArchive.readMetadata(folder);
        Map<String, Double> results = new LinkedHashMap<>();
        try (Model model = ModelArchive.load(folder, metadata, Device.cpu())) {
            model.setBlock(BatchNormFolding.fold(model.getBlock(), model.getNDManager())); // as the service serves it
            for (int batch : new int[] {1, 16, 32, 64}) {
                results.put("2 × 1 thread, batch " + batch, modelLoop(model, 2, 1, batch));
            }
            results.put("1 × 2 threads, batch 64", modelLoop(model, 1, 2, 64));
        }
        results.forEach((layout, perSecond) -> System.out.printf(Locale.ROOT, "model only, %s: %.0f images/s%n",
                layout, perSecond));
        return results;
    }

    private static double modelLoop(Model model, int workers, int threads, int batch) throws Exception {
        LabelledImages test = MnistImages.test();
        long warmUpEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        long end = warmUpEnd + TimeUnit.SECONDS.toNanos(MEASURE_SECONDS / 3 + 1);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Long>> images = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int offset = w * batch;
                images.add(pool.submit(() -> {
                    JniUtils.setGradMode(false);
                    JniUtils.setNumThreads(threads);
                    float[] input = new float[batch * InputContract.PIXELS];
                    for (int i = 0; i < batch; i++) {
                        test.copyUnit(offset + i, input, i * InputContract.PIXELS);
                    }
                    InputContract.normalize(input, 0, input.length);
                    long counted = 0;
                    try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
                        while (true) {
                            long now = System.nanoTime();
                            if (now >= end) {
                                return counted;
                            }
                            try (NDManager scope = NDManager.newBaseManager(Device.cpu())) {
                                predictor.predict(new NDList(scope.create(input, Architectures.inputShape(batch))))
                                        .singletonOrThrow().toFloatArray();
                            }
                            if (now >= warmUpEnd) {
                                counted += batch;
                            }
                        }
                    }
                }));
            }
            long total = 0;
            for (Future<Long> count : images) {
                total += count.get();
            }
            return total / ((end - warmUpEnd) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String report(Map<String, List<Run>> runs, Map<String, String> refused,
                                 Map<String, Double> modelFirst, Map<String, Double> modelLast, String loadBefore,
                                 String loadAfter, String priority) {
        StringBuilder text = new StringBuilder();
        text.append("""
                wrk on the same machine as the service (they share its cores), closed loop: each connection sends
                its next request when the answer arrives. Each request carries one MNIST test digit (100 different
                ones in turn): `/predict` `{"pixels": [784 values in 0-255]}`; v2 JSON `pixels` UINT8 [1,28,28]
                as JSON numbers, all outputs as JSON; v2 binary the same tensor as 784 bytes after the JSON
                header (binary tensor data extension), outputs binary. %d s per row, after untimed load on each
                endpoint (rounds of 10 s at concurrency 16 and 64 in turn) until the service's JIT compiler
                had settled (under 3 %% of its CPU in a round); wrk runs 1 thread at concurrency 1, else 2. Each
                service is `java -jar` of its build with default settings (this build: `workers=2`,
                `worker-threads=1`, `max-batch-size=64`, `max-batch-delay=2ms`) but the rate limit off. The
                services run side by side, idle but for their turn, and their rows for one endpoint and
                concurrency were measured one right after the other (in alternating order), so that they share
                the machine's conditions. Load average (1, 5, 15 min) before the run: %s; after: %s.
                Priority: %s.

                Columns: *mean batch* = images per forward pass; CPU in cores (2.00 = both cores all the
                time) of the service, of its inference workers (the forward passes; at concurrency 1 a lone
                request runs the model on its own request thread instead), of its request threads (Tomcat:
                HTTP, parsing, security, metrics, answers), of wrk, and of every other process on the
                machine meanwhile; *service ms/request* = the service's CPU time per request; *load* = the
                1-minute load average when the row started, which counts this benchmark's own processes too.
                """.formatted(MEASURE_SECONDS, loadBefore, loadAfter, priority));
        for (Map.Entry<String, String> entry : refused.entrySet()) {
            text.append("\n`digits.inference.precision=").append(entry.getKey())
                    .append("`: the service refuses to start, so there are no figures. Its reason: ")
                    .append(entry.getValue()).append('\n');
        }
        for (Map.Entry<String, List<Run>> entry : runs.entrySet()) {
            text.append("\n**").append(entry.getKey()).append("**\n\n")
                    .append("| endpoint | concurrency | requests/s | p50 (ms) | p99 (ms) | failed | mean batch "
                            + "| CPU: service | of it: workers | of it: request threads | CPU: wrk "
                            + "| CPU: other processes | service ms/request | load (1 min) |\n")
                    .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (Run r : entry.getValue()) {
                text.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %d | %.1f | %.2f | %.2f "
                                + "| %.2f | %.2f | %.2f | %.2f | %.2f |%n", r.endpoint().label, r.concurrency(),
                        r.perSecond(), r.p50Millis(), r.p99Millis(), r.failed(), r.meanBatch(), r.serviceCores(),
                        r.workerCores(), r.requestThreadCores(), r.wrkCores(), r.otherCores(),
                        r.serviceMillisPerRequest(), r.load()));
            }
        }
        List<String> labels = new ArrayList<>(runs.keySet());
        if (labels.size() > 1 && runs.containsKey("fp32")) {
            List<Run> before = runs.get(labels.get(0));
            List<Run> after = runs.get("fp32");
            text.append("\n**").append(labels.get(0)).append(" → fp32 (this build)**\n\n")
                    .append("| endpoint | concurrency | requests/s | p99 (ms) | service ms/request |\n")
                    .append("|---|---|---|---|---|\n");
            for (Run b : before) {
                Run a = find(after, b.endpoint(), b.concurrency());
                text.append(String.format(Locale.ROOT, "| %s | %d | %.0f → %.0f (%+.0f %%) | %.1f → %.1f | %.2f → %.2f "
                                + "(%+.0f %%) |%n", b.endpoint().label, b.concurrency(), b.perSecond(), a.perSecond(),
                        100 * (a.perSecond() / b.perSecond() - 1), b.p99Millis(), a.p99Millis(),
                        b.serviceMillisPerRequest(), a.serviceMillisPerRequest(),
                        100 * (a.serviceMillisPerRequest() / b.serviceMillisPerRequest() - 1)));
            }
        }
        text.append("""

                **Model only** (fp32; in this JVM, the services idle; no HTTP, no queue; each thread its own
                predictor on its own PyTorch threads, inputs already normalized; %d s per row after 3 s), before
                the HTTP rows and after them

                | layout | images/s, before | images/s, after |
                |---|---|---|
                """.formatted(MEASURE_SECONDS / 3 + 1));
        Map<String, Double> modelOnly = new LinkedHashMap<>();
        modelFirst.forEach((layout, first) -> {
            double last = modelLast.getOrDefault(layout, Double.NaN);
            text.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f |%n", layout, first, last));
            modelOnly.put(layout, Math.max(first, last));
        });
        text.append(targets(runs.get("fp32"), modelOnly));
        return text.toString();
    }

    /** The targets, checked on this run's figures. */
    private static String targets(List<Run> runs, Map<String, Double> modelOnly) {
        if (runs == null) {
            return "";
        }
        double ceiling = modelOnly.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        String ceilingLayout = modelOnly.entrySet().stream().filter(e -> e.getValue() == ceiling).map(Map.Entry::getKey)
                .findFirst().orElse("?");
        Run binary64 = find(runs, Endpoint.V2_BINARY, 64);
        Run json16 = find(runs, Endpoint.PREDICT_JSON, 16);
        Run json64 = find(runs, Endpoint.PREDICT_JSON, 64);
        StringJoiner lines = new StringJoiner("\n", "\n\n**Targets (fp32, this run)**\n\n", "\n");
        double share = binary64.perSecond() / ceiling;
        lines.add(String.format(Locale.ROOT, "- v2 binary at concurrency 64 ≥ 70 %% of the model alone: %.0f req/s "
                        + "= %.0f %% of %.0f images/s (%s, the best model-only figure of the run): **%s**",
                binary64.perSecond(),
                100 * share, ceiling, ceilingLayout, share >= 0.70 ? "met" : "not met"));
        lines.add(String.format(Locale.ROOT, "- `/predict` JSON at concurrency 64 ≥ 2,000 req/s: %.0f: **%s**",
                json64.perSecond(), json64.perSecond() >= 2000 ? "met" : "not met"));
        lines.add(String.format(Locale.ROOT, "- `/predict` JSON at concurrency 64, p99 ≤ 50 ms: %.1f ms: **%s**",
                json64.p99Millis(), json64.p99Millis() <= 50 ? "met" : "not met"));
        lines.add(String.format(Locale.ROOT, "- `/predict` JSON at concurrency 64 not below concurrency 16: %.0f vs "
                        + "%.0f req/s: **%s**", json64.perSecond(), json16.perSecond(),
                json64.perSecond() >= json16.perSecond() ? "met" : "not met"));
        for (Run r : new Run[] {binary64, json64}) {
            double wrkMillis = 1000 * r.wrkCores() / r.perSecond();
            int cores = Runtime.getRuntime().availableProcessors();
            lines.add(String.format(Locale.ROOT, "- What limits %s at concurrency 64: the cores were busy %.2f of %d "
                            + "(service %.2f, wrk %.2f, other processes %.2f). Per request the service spent %.2f ms of "
                            + "CPU: %.2f ms in the forward pass (the inference workers, mean batch %.1f), %.2f ms on "
                            + "its request threads and %.2f ms on its other threads (JIT compiler, GC, ...); wrk %.2f ms. "
                            + "At that cost %d cores serve at most %.0f requests/s (service and wrk alone on the "
                            + "machine).", r.endpoint().label,
                    r.serviceCores() + r.wrkCores() + r.otherCores(), cores, r.serviceCores(), r.wrkCores(),
                    r.otherCores(), r.serviceMillisPerRequest(), 1000 * r.workerCores() / r.perSecond(), r.meanBatch(),
                    1000 * r.requestThreadCores() / r.perSecond(),
                    1000 * (r.serviceCores() - r.workerCores() - r.requestThreadCores()) / r.perSecond(), wrkMillis,
                    cores,
                    1000.0 * cores / (r.serviceMillisPerRequest() + wrkMillis)));
        }
        return lines.toString();
    }

    private static Run find(List<Run> runs, Endpoint endpoint, int concurrency) {
        return runs.stream().filter(r -> r.endpoint() == endpoint && r.concurrency() == concurrency).findFirst()
                .orElseThrow();
    }

    /** Busy and total jiffies of all CPUs, from /proc/stat. */
    private static long[] machineTicks() throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        long idle = 0;
        for (int i = 1; i < cpu.length && i <= 8; i++) {
            long value = Long.parseLong(cpu[i]);
            total += value;
            if (i == 4 || i == 5) { // idle, iowait
                idle += value;
            }
        }
        return new long[] {total - idle, total};
    }

    /**
     * On Linux with autogroups, {@code nice} only orders processes of one session: raises this
     * session's autogroup (this JVM, the service, wrk) to nice -10 if allowed, and says what it did.
     */
    private static String raisePriority() {
        Path autogroup = Path.of("/proc/self/autogroup");
        try {
            String before = Files.readString(autogroup).trim();
            Files.writeString(autogroup, "-10");
            return "autogroup nice -10 (was: " + before + ")";
        } catch (IOException | RuntimeException e) {
            return "default (could not raise the autogroup's: " + e.getMessage() + ")";
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f", OS.getSystemLoadAverage());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
