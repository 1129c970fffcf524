package dev.digits.security;

import static dev.digits.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.DigitsApplication;
import dev.digits.support.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A service with no admin key configured (so it generates one), a predict key required, CORS for
 * one origin, and a small rate limit.
 */
class PredictKeyAndRateLimitTests {

    private static final String PREDICT_KEY = "predict-key-for-tests";
    /** Its own bucket, so that the two rate-limit tests do not share one. */
    private static final String V2_PREDICT_KEY = "predict-key-for-v2-tests";

    @TempDir
    static Path home;

    private static ConfigurableApplicationContext app;
    private static int port;

    @BeforeAll
    static void start() {
        app = new SpringApplicationBuilder(DigitsApplication.class).run("--server.port=0", "--digits.home=" + home,
                "--digits.security.require-predict-key=true",
                "--digits.security.predict-key-hashes=" + ApiKeys.sha256(PREDICT_KEY) + ","
                        + ApiKeys.sha256(V2_PREDICT_KEY),
                "--digits.security.rate-limit.requests-per-second=1", "--digits.security.rate-limit.burst=3",
                "--digits.security.cors.allowed-origins=https://app.example");
        port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void generatesAnAdminKeyAndStoresOnlyItsHash() throws Exception {
        Path stored = home.resolve("security/admin-key.sha256");
        assertThat(stored).exists();
        String hash = Files.readString(stored).trim();
        assertThat(hash).matches("[0-9a-f]{64}");
        // The key itself is nowhere in the store.
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).doesNotContain("dk_");
            }
        }
    }

    @Test
    void requiresAPredictKeyWhenConfiguredAndLimitsTheRate() {
        String body = SecurityTests.pixels();
        assertProblem(new Http(port).postJson("/predict", body), 401, "Unauthorized");
        Http client = new Http(port, PREDICT_KEY);
        assertProblem(client.get("/models"), 403, "Forbidden");

        int ok = 0;
        Http.Response limited = null;
        for (int i = 0; i < 10 && limited == null; i++) {
            Http.Response response = client.postJson("/predict", body);
            if (response.status() == 200) {
                ok++;
            } else {
                limited = response;
            }
        }
        assertThat(ok).isBetween(3, 5);
        assertProblem(limited, 429, "Too many requests");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isPositive();
    }

    @Test
    void theV2ProtocolNeedsTheSameKeyExceptForItsProbesAndIsRateLimited() {
        Http anonymous = new Http(port);
        assertThat(anonymous.get("/v2/health/live").status()).isEqualTo(200);
        assertThat(anonymous.get("/v2/health/ready").status()).isEqualTo(200);
        assertV2Error(anonymous.get("/v2"), 401);
        assertV2Error(anonymous.get("/v2/models/digits/ready"), 401);
        Http.Response refused = anonymous.postJson("/v2/models/digits/infer", SecurityTests.v2Request());
        assertV2Error(refused, 401);
        assertThat(refused.header("WWW-Authenticate")).startsWith("ApiKey");

        Http client = new Http(port, V2_PREDICT_KEY);
        assertThat(client.get("/v2/models/digits").status()).isEqualTo(200);
        // One bucket per key for /predict and inference.
        assertThat(client.postJson("/predict", SecurityTests.pixels()).status()).isEqualTo(200);
        int ok = 0;
        Http.Response limited = null;
        for (int i = 0; i < 10 && limited == null; i++) {
            Http.Response response = client.postJson("/v2/models/digits/infer", SecurityTests.v2Request());
            if (response.status() == 200) {
                ok++;
            } else {
                limited = response;
            }
        }
        assertThat(ok).isBetween(2, 4);
        assertV2Error(limited, 429);
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isPositive();
        // Metadata is not rate-limited.
        assertThat(client.get("/v2/models/digits").status()).isEqualTo(200);
    }

    /** Under /v2 errors are the protocol's {"error": "..."}, also when the security filters refuse. */
    private static void assertV2Error(Http.Response response, int status) {
        assertThat(response).isNotNull();
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.json().propertyNames()).containsExactly("error");
    }

    @Test
    void allowsTheConfiguredOriginOnly() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<Void> allowed = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/predict"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-api-key").build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example");
        HttpResponse<Void> refused = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/predict"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST").build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
