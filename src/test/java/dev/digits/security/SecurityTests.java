package dev.digits.security;

import static dev.digits.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Roles, wrong and missing keys, open endpoints and security headers, over real HTTP. */
class SecurityTests extends ServiceTest {

    @Test
    void managementNeedsTheAdminKey() {
        Http anonymous = new Http(port);
        assertProblem(anonymous.get("/models"), 401, "Unauthorized");
        assertThat(anonymous.get("/models").header("WWW-Authenticate")).startsWith("ApiKey");
        assertProblem(anonymous.postJson("/jobs", "{\"type\":\"train\"}"), 401, "Unauthorized");
        assertProblem(anonymous.post("/models/1/promote"), 401, "Unauthorized");
        assertProblem(anonymous.delete("/datasets/ds-00000000"), 401, "Unauthorized");
        assertProblem(anonymous.get("/actuator/metrics"), 401, "Unauthorized");

        assertProblem(new Http(port, "not-a-key").get("/models"), 401, "Unauthorized");
        assertProblem(new Http(port, "not-a-key").postJson("/predict", pixels()), 401, "Unauthorized");

        assertThat(http.get("/models").status()).isEqualTo(200);
        assertThat(http.get("/actuator/metrics").status()).isEqualTo(200);
    }

    @Test
    void predictionAndProbesAreOpenByDefault() {
        Http anonymous = new Http(port);
        assertThat(anonymous.postJson("/predict", pixels()).status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/info").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/prometheus").status()).isEqualTo(200);
        assertThat(anonymous.get("/v3/api-docs").status()).isEqualTo(200);
        // The Open Inference Protocol is as open as /predict.
        assertThat(anonymous.get("/v2/health/ready").status()).isEqualTo(200);
        assertThat(anonymous.get("/v2").status()).isEqualTo(200);
        assertThat(anonymous.get("/v2/models/digits").status()).isEqualTo(200);
        assertThat(anonymous.postJson("/v2/models/digits/infer", v2Request()).status()).isEqualTo(200);
    }

    static String v2Request() {
        return "{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[1,28,28],\"data\":"
                + MnistImages.pixelsJson(0) + "}]}";
    }

    @Test
    void sendsSecurityHeaders() {
        Http.Response response = new Http(port).postJson("/predict", pixels());
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.header("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(response.header("Cache-Control")).contains("no-store");
        assertThat(response.header("Set-Cookie")).isNull();
    }

    @Test
    void refusesAKeyGivenInPlainTextInsteadOfItsHash() {
        assertThat(catchThrowable(() -> new ApiKeys(new SecurityProperties(List.of("my-plain-key"), List.of(), false,
                null, null), null)))
                .hasMessageContaining("SHA-256");
    }

    static String pixels() {
        return "{\"pixels\":" + MnistImages.pixelsJson(0) + "}";
    }
}
