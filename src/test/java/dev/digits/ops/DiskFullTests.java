package dev.digits.ops;

import static dev.digits.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceProcess;
import dev.digits.support.Tmpfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The store on a real file system that runs out of space (a 32 MB tmpfs): every write the API
 * offers (dataset upload, model import, feedback, job submission, promotion, rollback) is answered
 * 507 with a problem detail, leaves nothing behind, and works again once space is freed. The
 * disk-space health check watches the store.
 */
class DiskFullTests {

    @TempDir
    Path mountPoint;

    @TempDir
    Path logs;

    @Test
    void everyWriteOnAFullStoreIs507AndLeavesNothingBehind() throws Exception {
        Optional<Tmpfs> mounted = Tmpfs.mount(mountPoint, 32);
        assumeTrue(mounted.isPresent(), "mounting a tmpfs needs root; the disk cannot be filled for real here");
        try (Tmpfs tmpfs = mounted.get()) {
            Path home = tmpfs.path().resolve("home");
            ServiceProcess service = new ServiceProcess(home, logs.resolve("service.log"));
            Http http = service.start();
            try {
                String dataset = http.post("/datasets", "application/zip",
                        MnistImages.datasetZip(0, 20, UnaryOperator.identity())).json().get("id").asString();
                byte[] archive = http.get("/models/1/download").raw().body();
                assertThat(http.post("/models", "application/zip", archive).status()).isEqualTo(201);
                Map<String, Long> before = files(home);

                Path filler = tmpfs.fill("filler");

                String pixels = "{\"pixels\":" + MnistImages.pixelsJson(0) + "}";
                Map<String, Http.Response> writes = new TreeMap<>();
                writes.put("dataset upload", http.post("/datasets", "application/zip",
                        MnistImages.datasetZip(0, 20, UnaryOperator.identity())));
                writes.put("model import", http.post("/models", "application/zip", archive));
                writes.put("feedback", http.postJson("/feedback?label=7", pixels));
                writes.put("job submission", http.postJson("/jobs",
                        "{\"type\":\"train\",\"architecture\":\"lenet5\",\"dataset\":\"" + dataset + "\",\"epochs\":1}"));
                writes.put("promotion", http.post("/models/2/promote"));
                writes.put("alias", http.post("/models/2/promote?alias=canary"));
                writes.forEach((what, response) -> {
                    assertThat(response.status()).as(what + ": " + response.body()).isEqualTo(507);
                    assertProblem(response, 507, "Insufficient storage");
                    assertThat(response.json().get("detail").asString()).as(what).contains("store is full");
                });
                assertThat(files(home)).as("nothing half-written or left behind").isEqualTo(before);

                assertThat(http.postJson("/predict", pixels).json().get("modelVersion").asString()).isEqualTo("1");
                assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
                JsonNode disk = http.get("/actuator/health").json().at("/components/diskSpace");
                assertThat(disk.get("status").asString()).isEqualTo("DOWN");
                assertThat(Path.of(disk.at("/details/path").asString())).isEqualTo(home.toAbsolutePath());

                Files.delete(filler);
                assertThat(http.post("/models/2/promote").status()).isEqualTo(200);
                assertThat(http.postJson("/feedback?label=7", pixels).status()).isEqualTo(201);
                assertThat(http.post("/models", "application/zip", archive).status()).isEqualTo(201);
            } finally {
                service.kill();
            }
        }
    }

    private static Map<String, Long> files(Path home) {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path path : paths.toList()) {
                files.put(home.relativize(path).toString(), Files.isRegularFile(path) ? Files.size(path) : -1L);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
