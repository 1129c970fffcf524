package dev.digits.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.support.Await;
import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceProcess;
import dev.digits.support.ServiceTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kill -9} during a job, during a promotion and during a dataset upload, then a restart on
 * the same store: nothing is corrupt, every accepted job is there and finishes, and every alias
 * points at a loadable version.
 */
class CrashRecoveryTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path home;

    @TempDir
    Path logs;

    @Test
    void survivesKillsDuringAJobAPromotionAndAnUpload() throws Exception {
        ServiceProcess service = new ServiceProcess(home, logs.resolve("service.log"));

        // 1. During a job.
        Http http = service.start();
        String dataset = http.post("/datasets", "application/zip",
                MnistImages.datasetZip(0, 400, UnaryOperator.identity())).json().get("id").asString();
        String job = http.postJson("/jobs", """
                {"type": "train", "architecture": "lenet5", "dataset": "%s", "epochs": 6, "batchSize": 16}"""
                .formatted(dataset)).json().get("id").asString();
        String queued = http.postJson("/jobs", """
                {"type": "train", "architecture": "lenet5", "dataset": "%s", "epochs": 1}""".formatted(dataset))
                .json().get("id").asString();
        Await.until(() -> http.get("/jobs/" + job).json(), j -> j.get("history").size() >= 2, Duration.ofMinutes(2),
                "two epochs");
        service.kill();
        assertThat(JSON.readTree(home.resolve("jobs/" + job + ".json").toFile()).get("state").asString())
                .isEqualTo("RUNNING");

        Http afterJobKill = service.start();
        JsonNode resumed = finished(afterJobKill, job);
        assertThat(resumed.get("state").asString()).as(resumed.toString()).isEqualTo("SUCCEEDED");
        assertThat(resumed.get("attempts").asInt()).isEqualTo(2);
        assertThat(resumed.get("history")).hasSize(6);
        assertThat(finished(afterJobKill, queued).get("state").asString()).isEqualTo("SUCCEEDED");
        String trained = resumed.at("/result/version").asString();

        // 2. During a promotion: the request is in flight when the process dies.
        HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + service.port()
                + "/models/" + trained + "/promote")).header("X-API-Key", ServiceTest.ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        Thread.sleep(40);
        service.kill();
        Http afterPromotionKill = service.start();
        assertAliasesLoadable(afterPromotionKill);

        // 3. During a dataset upload.
        int datasets = afterPromotionKill.get("/datasets").json().size();
        HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + service.port()
                + "/datasets")).header("X-API-Key", ServiceTest.ADMIN_KEY).header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(MnistImages.datasetZip(0, 3000, UnaryOperator.identity())))
                .build(), HttpResponse.BodyHandlers.discarding());
        Thread.sleep(300);
        service.kill();
        Http afterUploadKill = service.start();
        JsonNode listed = afterUploadKill.get("/datasets").json();
        assertThat(listed.size()).isBetween(datasets, datasets + 1);
        for (JsonNode info : listed) {
            assertThat(afterUploadKill.get("/datasets/" + info.get("id").asString()).status()).isEqualTo(200);
        }
        assertAliasesLoadable(afterUploadKill);
        assertEveryJsonFileParses();
        assertThat(afterUploadKill.get("/jobs").json().get("total").asInt()).isEqualTo(2);
        service.kill();
    }

    private void assertAliasesLoadable(Http http) {
        JsonNode models = http.get("/models").json();
        models.get("aliases").properties().forEach(alias -> {
            Http.Response predicted = http.postJson("/predict?model=" + alias.getKey(),
                    "{\"pixels\":" + MnistImages.pixelsJson(0) + "}");
            assertThat(predicted.status()).as(alias.getKey() + ": " + predicted.body()).isEqualTo(200);
            assertThat(predicted.json().get("modelVersion").asString()).isEqualTo(alias.getValue().asString());
        });
        assertThat(http.get("/actuator/health").json().at("/components/models/details/corruptVersions").isMissingNode())
                .isTrue();
    }

    private void assertEveryJsonFileParses() throws IOException {
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                assertThat(JSON.readTree(file.toFile())).as(file.toString()).isNotNull();
            }
        }
        try (Stream<Path> files = Files.walk(home)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith(".staging")
                    || n.endsWith(".tmp"));
        }
    }

    private static JsonNode finished(Http http, String id) {
        return Await.until(() -> http.get("/jobs/" + id).json(),
                j -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(j.get("state").asString()),
                Duration.ofMinutes(3), "finished");
    }
}
