package dev.digits.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.support.Await;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a real Prometheus must find after scraping the service: the test makes predictions, then
 * asks Prometheus' HTTP API for the series. Subclasses bring the Prometheus (a container, or the
 * Debian binary) and say where it reaches the service.
 */
abstract class ScrapedByPrometheus extends ServiceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Prometheus' base URL, started with a 1 s scrape of the service's {@code /actuator/prometheus}. */
    protected abstract String prometheus();

    /** The scrape configuration for a service reachable at {@code target} (host:port). */
    static String config(String target) {
        return """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: digits
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: ['%s']
                """.formatted(target);
    }

    @Test
    void findsPredictionModelAndJvmSeries() {
        String body = "{\"pixels\":" + MnistImages.pixelsJson(0) + "}";
        for (int i = 0; i < 5; i++) {
            assertThat(http.postJson("/predict", body).status()).isEqualTo(200);
        }
        assertThat(http.postJson("/predict", "{\"pixels\": [1]}").status()).isEqualTo(400);
        String production = http.get("/models").json().get("production").asString();

        Await.until(() -> value("up{job=\"digits\"}"), v -> v == 1.0, Duration.ofSeconds(60), "scraped");
        Await.until(() -> value("sum(digits_predict_requests_total{outcome=\"success\",model_version=\"" + production
                + "\"})"), v -> v >= 5, Duration.ofSeconds(60), "predictions counted");
        assertThat(value("sum(digits_predict_requests_total{outcome=\"client_error\"})")).isGreaterThanOrEqualTo(1);
        assertThat(value("digits_models_production_info{version=\"" + production + "\"}")).isEqualTo(1.0);
        assertThat(value("sum(digits_inference_batch_size_count)")).isGreaterThanOrEqualTo(5);
        assertThat(value("count(digits_predict_latency_seconds_bucket{outcome=\"success\"})")).isGreaterThan(5);
        assertThat(value("digits_inference_queue_depth")).isZero();
        assertThat(value("sum(jvm_memory_used_bytes)")).isPositive();
        assertThat(value("digits_process_resident_memory_bytes")).isGreaterThan(100e6);
        assertThat(value("digits_jobs{state=\"queued\"}")).isNotNaN();
    }

    /** The value of an instant query's first series, or NaN when it has none. */
    private double value(String query) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    prometheus() + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode result = JSON.readTree(response.body()).at("/data/result");
            return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).get("value").get(1).asString());
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
