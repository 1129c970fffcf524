package dev.digits.bench;

import dev.digits.bench.ThroughputBenchmark.Endpoint;
import dev.digits.bench.ThroughputBenchmark.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code /predict} JSON and v2 binary at 64 connections on one service of this build, in rounds that
 * alternate between the two once its JIT has settled: the spread of a row that {@code
 * ThroughputBenchmark} measures once. On this machine a single row can land on a fast or a slow
 * minute; the rounds show which.
 *
 * <pre>./mvnw -o -q package -DskipTests && ./mvnw -o -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.ServingRepeatsBenchmark</pre>
 */
public final class ServingRepeatsBenchmark {

    private static final String COMMAND = "./mvnw -o -q package -DskipTests && ./mvnw -o -q test-compile "
            + "exec:java -Dexec.mainClass=dev.digits.bench.ServingRepeatsBenchmark";
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final int SECONDS = 15;
    private static final int CONCURRENCY = 64;
    private static final Endpoint[] ENDPOINTS = {Endpoint.PREDICT_JSON, Endpoint.V2_BINARY};

    private ServingRepeatsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Wrk.require();
        Path jar = Path.of(System.getProperty("bench.jar", "target/digits.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw -o -q package -DskipTests)");
        }
        Path work = Files.createTempDirectory("digits-repeats");
        Wrk.writeBodies(work, 100);
        Service service = Service.start("fp32", jar, "fp32");
        try {
            for (Endpoint endpoint : ENDPOINTS) {
                Wrk.warmUp(service.base() + endpoint.path, endpoint.kind, work, service.process().pid());
            }
            List<List<Wrk.Result>> results = new ArrayList<>();
            for (Endpoint ignored : ENDPOINTS) {
                results.add(new ArrayList<>());
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (int e = 0; e < ENDPOINTS.length; e++) {
                    Wrk.Result result = Wrk.run(service.base() + ENDPOINTS[e].path, ENDPOINTS[e].kind, work,
                            CONCURRENCY, SECONDS);
                    results.get(e).add(result);
                    System.out.printf(Locale.ROOT, "round %d %s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, failed %d%n",
                            round + 1, ENDPOINTS[e].label, result.perSecond(), result.p50Millis(), result.p99Millis(),
                            result.failed());
                }
            }
            BenchmarkReport.write("serving-repeats", "Serving at 64 connections, repeated", COMMAND,
                    report(results));
        } finally {
            service.stop();
        }
    }

    private static String report(List<List<Wrk.Result>> results) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, """
                One service of this build (`java -jar`, default settings but the rate limit off), its JIT
                settled as in the serving run; wrk with 2 threads at %d connections, %d s per round, the
                endpoints alternating round by round, the bodies as in the serving run.

                | round |""", CONCURRENCY, SECONDS));
        for (Endpoint endpoint : ENDPOINTS) {
            text.append(' ').append(endpoint.label).append(": requests/s, p50, p99 (ms) |");
        }
        text.append("\n|---|").append("---|".repeat(ENDPOINTS.length)).append('\n');
        for (int round = 0; round < ROUNDS; round++) {
            text.append("| ").append(round + 1).append(" |");
            for (List<Wrk.Result> endpoint : results) {
                Wrk.Result r = endpoint.get(round);
                text.append(String.format(Locale.ROOT, " %.0f, %.1f, %.1f%s |", r.perSecond(), r.p50Millis(),
                        r.p99Millis(), r.failed() == 0 ? "" : " (" + r.failed() + " failed)"));
            }
            text.append('\n');
        }
        text.append('\n');
        for (int e = 0; e < ENDPOINTS.length; e++) {
            List<Wrk.Result> rounds = results.get(e);
            text.append(String.format(Locale.ROOT, "- %s: %.0f-%.0f requests/s, p99 %.1f-%.1f ms%n",
                    ENDPOINTS[e].label,
                    rounds.stream().mapToDouble(Wrk.Result::perSecond).min().orElse(0),
                    rounds.stream().mapToDouble(Wrk.Result::perSecond).max().orElse(0),
                    rounds.stream().mapToDouble(Wrk.Result::p99Millis).min().orElse(0),
                    rounds.stream().mapToDouble(Wrk.Result::p99Millis).max().orElse(0)));
        }
        return text.toString();
    }
}
