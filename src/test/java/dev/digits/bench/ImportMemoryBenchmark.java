package dev.digits.bench;

import dev.digits.support.HostileModels;
import dev.digits.support.Http;
import dev.digits.support.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The outside battery's import case against the real service: model archives under 2 MB whose
 * parameter file declares a 2³¹−1 byte tensor, a huge shape with a matching length, or is
 * truncated, each sent 20 times. Records the answer, its latency and the service's resident memory,
 * which must stay flat: bounded by the import limit, not by the declared sizes.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.ImportMemoryBenchmark</pre>
 */
public final class ImportMemoryBenchmark {

    private static final int ROUNDS = 20;

    private ImportMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Files.createTempDirectory("digits-import-memory");
        ServiceProcess service = new ServiceProcess(home, home.resolve("service.log"));
        Http http = service.start();
        StringBuilder table = new StringBuilder("""
                The service in its own JVM (`-Xmx1g`, import limit 64 MB), fresh store. Each archive is under 2 MB;
                its parameter file declares what the first column says. Before the fix the battery measured, for
                the first two cases, a 500 after 9–11 s per request and resident memory rising from 2.4 GB to 6.5 GB.
                Latencies are the median and the maximum of %d requests per case; resident memory is the
                service's RSS after all of them.

                | parameter file | answer | median (ms) | max (ms) | RSS after (MiB) |
                |---|---|---|---|---|
                """.formatted(ROUNDS));
        try {
            byte[] metadata = HostileModels.bundledMetadata();
            for (int i = 0; i < 3; i++) { // warm-up: the JIT and the layout derivation
                http.post("/models", "application/zip", HostileModels.archive(metadata,
                        HostileModels.declaredLength(HostileModels.bundledParameters(), Integer.MAX_VALUE, 1 << 20)));
            }
            double rssBefore = service.rssMiB();
            table.insert(table.indexOf("|"), "Resident memory before the first hostile import: %.0f MiB.%n%n"
                    .formatted(rssBefore));
            for (Map.Entry<String, byte[]> hostile : HostileModels.cases(HostileModels.bundledParameters()).entrySet()) {
                byte[] archive = HostileModels.archive(metadata, hostile.getValue());
                List<Double> millis = new ArrayList<>();
                int status = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    long start = System.nanoTime();
                    status = http.post("/models", "application/zip", archive).status();
                    millis.add((System.nanoTime() - start) / 1e6);
                }
                Collections.sort(millis);
                table.append("| %s (%,d bytes) | %d | %.1f | %.1f | %.0f |%n".formatted(hostile.getKey(),
                        hostile.getValue().length, status, millis.get(millis.size() / 2), millis.get(millis.size() - 1),
                        service.rssMiB()));
            }
        } finally {
            service.kill();
        }
        BenchmarkReport.write("import-memory", "Hostile model imports: latency and resident memory",
                "./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.ImportMemoryBenchmark",
                table.toString());
    }
}
