package dev.digits.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.model.ModelArchive;
import dev.digits.support.Await;
import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A restart of the whole service on a store whose production version is damaged: it comes up,
 * serves the previous version, says so in its health and its log, and lists every damaged version.
 * Every replica sharing the store restarts like this one, so one bad file must not stop it.
 */
class DamagedProductionRestartTests {

    private static final String PIXELS = "{\"pixels\":" + MnistImages.pixelsJson(0) + "}";

    @TempDir
    Path home;

    @TempDir
    Path logs;

    @Test
    void comesUpOnThePreviousVersionWhenProductionIsDamaged() throws IOException {
        ServiceProcess service = new ServiceProcess(home, logs.resolve("service.log"));
        Http http = service.start();
        try {
            byte[] archive = http.get("/models/1/download").raw().body();
            for (String version : new String[] {"2", "3", "4"}) {
                assertThat(http.post("/models", "application/zip", archive).json().get("version").asString())
                        .isEqualTo(version);
            }
            http.post("/models/2/promote");
            http.post("/models/3/promote"); // production 3, previous 2; 4 was never promoted
            service.kill();
            cutInHalf("3");
            cutInHalf("4");

            http = service.start();

            assertThat(predictedVersion(http)).isEqualTo("2");
            JsonNode models = http.get("/models").json();
            assertThat(models.get("production").asString()).as("the version serving").isEqualTo("2");
            assertThat(models.at("/aliases/production").asString()).as("the store is not rewritten").isEqualTo("3");
            JsonNode health = awaitVerified(http);
            assertThat(health.at("/components/models/status").asString()).isEqualTo("DOWN");
            assertThat(health.at("/components/models/details/reason").asString())
                    .contains("production version 3 is damaged").contains("version 2 serves instead");
            assertThat(health.at("/components/models/details/corruptVersions").propertyNames())
                    .containsExactlyInAnyOrder("3", "4");
            assertThat(health.at("/components/serving/status").asString()).isEqualTo("UP");
            assertThat(health.at("/components/models").toString()).doesNotContain(home.toString());
            assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
            assertThat(new Http(service.port()).get("/actuator/health").json().toString())
                    .isEqualTo("{\"groups\":[\"liveness\",\"readiness\"],\"status\":\"DOWN\"}");
            assertThat(Files.readAllLines(logs.resolve("service.log")))
                    .anyMatch(line -> line.contains("ERROR") && line.contains("production model version 3 is damaged"));

            // Promoting a good version ends it. (ModelRegistryTests covers a damaged previous version too.)
            assertThat(http.post("/models/1/promote").status()).isEqualTo(200);
            assertThat(predictedVersion(http)).isEqualTo("1");
            assertThat(http.get("/actuator/health").json().at("/components/models/status").asString()).isEqualTo("UP");
        } finally {
            service.kill();
        }
    }

    private static String predictedVersion(Http http) {
        Http.Response predicted = http.postJson("/predict", PIXELS);
        assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
        return predicted.json().get("modelVersion").asString();
    }

    private static JsonNode awaitVerified(Http http) {
        return Await.until(() -> http.get("/actuator/health").json(),
                h -> h.at("/components/models/details/checksumsVerified").asBoolean(), Duration.ofSeconds(60),
                "every version verified");
    }

    private void cutInHalf(String version) throws IOException {
        Path parameters = home.resolve("models").resolve(version).resolve(ModelArchive.PARAMETERS);
        byte[] bytes = Files.readAllBytes(parameters);
        Files.write(parameters, Arrays.copyOf(bytes, bytes.length / 2));
    }
}
