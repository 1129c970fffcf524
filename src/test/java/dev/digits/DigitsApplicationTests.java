package dev.digits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.support.Http;
import dev.digits.support.ServiceTest;
import org.junit.jupiter.api.Test;

/** The whole service with a fresh store: it starts with the bundled model and is healthy. */
class DigitsApplicationTests extends ServiceTest {

    @Test
    void startsWithTheBundledModelAndReportsUp() {
        Http.Response health = http.get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().at("/components/models/details/production").asString()).isNotBlank();
        assertThat(HOME.resolve("models/1/model-0000.params")).exists();
        assertThat(HOME.resolve("models/aliases.json")).exists();
    }
}
