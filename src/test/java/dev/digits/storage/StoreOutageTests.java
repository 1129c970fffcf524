package dev.digits.storage;

import static dev.digits.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.support.Await;
import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.PostgresServer;
import dev.digits.support.S3Server;
import dev.digits.support.ServiceTest;
import dev.digits.support.SharedStore;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The service on PostgreSQL and S3 while they go away: its own servers, since the tests stop them.
 * Nothing is lost and nothing needs an operator.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StoreOutageTests {

    private static final PostgresServer POSTGRES = PostgresServer.startNew();
    private static final S3Server S3 = S3Server.startNew();
    private static final SharedStore STORE = SharedStore.create(POSTGRES, S3);

    @LocalServerPort
    int port;

    Http http;

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) throws IOException {
        String home = Files.createTempDirectory("digits-outage").toString();
        registry.add("digits.home", () -> home);
        registry.add("digits.security.admin-key-hashes", () -> ServiceTest.ADMIN_KEY_SHA256);
        registry.add("digits.security.rate-limit.enabled", () -> "false");
        registry.add("digits.jobs.lease", () -> "10s");
        STORE.properties().forEach((name, value) -> registry.add(name, () -> value));
    }

    @AfterAll
    static void stopServers() {
        POSTGRES.close();
        S3.close();
    }

    @BeforeEach
    void client() {
        http = new Http(port, ServiceTest.ADMIN_KEY);
    }

    @Test
    void anObjectStoreOutageDuringARegistrationIsA503AndRegistersNothing() {
        byte[] archive = http.get("/models/production/download").raw().body();
        int before = versions();
        S3.stop();
        try {
            Http.Response refused = http.post("/models", "application/zip", archive);
            assertProblem(refused, 503, "Storage unavailable");
            assertThat(refused.body()).doesNotContain(String.valueOf(S3.port())).doesNotContain(S3.secretKey());
            assertThat(versions()).as("versions after the refused import").isEqualTo(before);
        } finally {
            S3.start();
        }
        Http.Response imported = http.post("/models", "application/zip", archive);
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        assertThat(versions()).isEqualTo(before + 1);
    }

    @Test
    void aDatabaseRestartDuringAJobNeedsNoOperator() throws Exception {
        Http.Response created = http.post("/datasets?name=outage", "application/zip",
                MnistImages.datasetZip(0, 600, UnaryOperator.identity()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Http.Response accepted = http.postJson("/jobs", """
                {"type": "train", "architecture": "lenet5", "dataset": "%s", "epochs": 3, "batchSize": 8,
                 "learningRate": 0.003, "seed": 3}""".formatted(created.json().get("id").asString()));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String id = accepted.json().get("id").asString();
        Await.until(() -> http.get("/jobs/" + id).json(), job -> job.at("/progress/batch").asInt() > 0,
                Duration.ofMinutes(2), "job " + id + " training");

        POSTGRES.stop();
        try {
            assertProblem(http.get("/jobs/" + id), 503, "Storage unavailable");
            Thread.sleep(2_000);
        } finally {
            POSTGRES.start();
        }

        JsonNode finished = Await.until(() -> http.get("/jobs/" + id), r -> r.status() == 200
                && Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(r.json().get("state").asString()),
                Duration.ofMinutes(5), "job " + id + " finished").json();
        assertThat(finished.get("state").asString()).as(finished.toString()).isEqualTo("SUCCEEDED");
        assertThat(finished.get("history")).hasSize(3);
        assertThat(http.get("/models/" + finished.at("/result/version").asString()).status()).isEqualTo(200);
        assertThat(http.postJson("/predict", "{\"pixels\":" + MnistImages.pixelsJson(0) + "}").status()).isEqualTo(200);
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
    }

    private int versions() {
        JsonNode versions = http.get("/models").json();
        return (versions.isArray() ? versions : versions.get("versions")).size();
    }
}
