package dev.digits.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.PostgresServer;
import dev.digits.support.ServiceTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service with {@code digits.store=postgres} (blobs on the local filesystem), over real
 * HTTP: the first start registers the bundled model, and models, aliases, jobs and feedback go
 * through the PostgreSQL store. No trainer runs here ({@code digits.jobs.concurrent=0}): jobs wait
 * for the trainers of a shared store.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PostgresServiceTests {

    private static final Path HOME = createHome();
    private static String database;

    @LocalServerPort
    int port;

    private Http http;

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) {
        PostgresServer server = PostgresServer.shared();
        database = server.createDatabase();
        registry.add("digits.home", HOME::toString);
        registry.add("digits.store", () -> "postgres");
        registry.add("spring.datasource.url", () -> server.jdbcUrl(database));
        registry.add("spring.datasource.username", server::username);
        registry.add("spring.datasource.password", server::password);
        registry.add("digits.jobs.concurrent", () -> "0");
        registry.add("digits.security.admin-key-hashes", () -> ServiceTest.ADMIN_KEY_SHA256);
        registry.add("digits.security.rate-limit.enabled", () -> "false");
    }

    @BeforeEach
    void client() {
        http = new Http(port, ServiceTest.ADMIN_KEY);
    }

    @Test
    void modelsAliasesJobsAndFeedbackLiveInPostgres() throws SQLException {
        Http.Response models = http.get("/models");
        assertThat(models.status()).as(models.body()).isEqualTo(200);
        assertThat(models.json().get("production").asString()).isEqualTo("1");
        assertThat(http.postJson("/predict", "{\"pixels\":" + MnistImages.pixelsJson(0) + "}").json()
                .get("modelVersion").asString()).isEqualTo("1");

        Http.Response download = http.get("/models/1/download");
        assertThat(download.status()).isEqualTo(200);
        Http.Response imported = http.post("/models", "application/zip", download.raw().body());
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        assertThat(imported.json().get("version").asString()).isEqualTo("2");
        Http.Response promoted = http.post("/models/2/promote");
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
        assertThat(promoted.json().at("/aliases/previous").asString()).isEqualTo("1");
        assertThat(http.postJson("/predict", "{\"pixels\":" + MnistImages.pixelsJson(0) + "}").json()
                .get("modelVersion").asString()).isEqualTo("2");
        assertThat(http.delete("/models/2").status()).as("in use").isEqualTo(409);

        String request = "{\"type\": \"train\", \"epochs\": 1}";
        Http.Response accepted = http.post("/jobs", "application/json", request.getBytes(), "Idempotency-Key", "k-1");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String id = accepted.json().get("id").asString();
        Http.Response again = http.post("/jobs", "application/json", request.getBytes(), "Idempotency-Key", "k-1");
        assertThat(again.json().get("id").asString()).isEqualTo(id);
        assertThat(http.get("/jobs/" + id).json().get("state").asString()).isEqualTo("QUEUED");
        assertThat(http.get("/jobs").json().get("total").asLong()).isEqualTo(1);
        Http.Response cancelled = http.post("/jobs/" + id + "/cancel");
        assertThat(cancelled.json().get("state").asString()).as(cancelled.body()).isEqualTo("CANCELLED");

        Http.Response feedback = http.postJson("/feedback", "{\"pixels\":" + MnistImages.pixelsJson(1) + ",\"label\":2}");
        assertThat(feedback.status()).as(feedback.body()).isEqualTo(201);

        try (Connection connection = PostgresServer.shared().connect(database);
                Statement statement = connection.createStatement()) {
            assertThat(count(statement, "SELECT count(*) FROM model_versions")).isEqualTo(2);
            assertThat(count(statement, "SELECT count(*) FROM model_aliases WHERE alias = 'production' AND version = 2"))
                    .isEqualTo(1);
            assertThat(count(statement, "SELECT count(*) FROM jobs WHERE state = 'CANCELLED'")).isEqualTo(1);
            assertThat(count(statement, "SELECT sum(samples) FROM feedback_batches")).isEqualTo(1);
        }
        assertThat(HOME.resolve("models")).as("nothing in the filesystem store's place").doesNotExist();
    }

    private static long count(Statement statement, String query) throws SQLException {
        try (ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Path createHome() {
        try {
            return Files.createTempDirectory("digits-postgres-home");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
