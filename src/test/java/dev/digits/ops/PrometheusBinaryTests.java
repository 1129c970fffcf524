package dev.digits.ops;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Testcontainers test's twin for machines without Docker: the same Prometheus, from Debian's
 * {@code prometheus} package (which {@code .ci/run} installs), on loopback.
 */
class PrometheusBinaryTests extends ScrapedByPrometheus {

    private static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static Process prometheus;
    private static String url;

    @TempDir
    static Path work;

    @BeforeEach
    void startPrometheus() throws IOException {
        assumeTrue(Files.isExecutable(BINARY), "Debian's prometheus package is not installed");
        if (prometheus != null) {
            return;
        }
        int listen;
        try (ServerSocket socket = new ServerSocket(0)) {
            listen = socket.getLocalPort();
        }
        Path config = Files.writeString(work.resolve("prometheus.yml"), config("127.0.0.1:" + port));
        prometheus = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + listen)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        url = "http://127.0.0.1:" + listen;
    }

    @AfterAll
    static void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
            prometheus = null;
        }
    }

    @Override
    protected String prometheus() {
        return url;
    }
}
