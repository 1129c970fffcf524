package dev.digits.support;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;

/** Assertions for RFC 9457 problem-detail responses. */
public final class Problems {

    private Problems() {
    }

    /** @param title the expected title, or null to accept Spring's own */
    public static void assertProblem(Http.Response response, int status, String title) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        if (title != null) {
            assertThat(problem.get("title").asString()).isEqualTo(title);
        }
    }
}
