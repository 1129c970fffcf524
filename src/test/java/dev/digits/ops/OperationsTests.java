package dev.digits.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.support.Http;
import dev.digits.support.ServiceTest;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/** Actuator exposure, probes, info and the OpenAPI description, as operators and clients see them. */
class OperationsTests extends ServiceTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void exposesOnlyHealthInfoPrometheusAndMetrics() {
        Set<String> endpoints = new TreeSet<>();
        http.get("/actuator").json().get("_links").propertyNames().forEach(name -> endpoints.add(name.split("-")[0]));
        assertThat(endpoints).containsExactlyInAnyOrder("self", "health", "info", "prometheus", "metrics");
        assertThat(http.get("/actuator/env").status()).isEqualTo(404);
        assertThat(http.get("/actuator/beans").status()).isEqualTo(404);
    }

    @Test
    void readinessNeedsTheModelAndTheBatcherAndLivenessDoesNot() {
        JsonNode readiness = http.get("/actuator/health/readiness").json();
        assertThat(readiness.get("status").asString()).isEqualTo("UP");
        assertThat(readiness.get("components").propertyNames()).containsExactlyInAnyOrder("serving", "batcher",
                "readinessState");
        JsonNode liveness = http.get("/actuator/health/liveness").json();
        assertThat(liveness.get("status").asString()).isEqualTo("UP");
        assertThat(liveness.get("components").propertyNames()).containsExactly("livenessState");
    }

    @Test
    void anonymousCallersSeeTheHealthStatusOnlyAndTheAdminKeySeesTheDiskOfTheStore() {
        Http anonymous = new Http(port);
        for (String path : List.of("/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness",
                "/actuator/info")) {
            Http.Response response = anonymous.get(path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).doesNotContain(HOME.toString()).doesNotContain("\"path\"")
                    .doesNotContain("/tmp").doesNotContain("/work");
        }
        assertThat(anonymous.get("/actuator/health").json().propertyNames()).doesNotContain("components");
        assertThat(anonymous.get("/actuator/health/readiness").json().propertyNames()).doesNotContain("components");

        JsonNode components = http.get("/actuator/health").json().get("components");
        assertThat(components.at("/diskSpace/details/path").asString()).isEqualTo(HOME.toAbsolutePath().toString());
        assertThat(components.at("/diskSpace/details/threshold").asLong()).isEqualTo(256L << 20);
        assertThat(components.at("/models/status").asString()).isEqualTo("UP");
        assertThat(components.at("/serving/status").asString()).isEqualTo("UP");
    }

    @Test
    void infoShowsTheBuildTheProductionVersionAndTheDevice() {
        JsonNode info = http.get("/actuator/info").json();
        assertThat(info.at("/build/artifact").asString()).isEqualTo("digits");
        assertThat(info.at("/model/production").asString()).isEqualTo(http.get("/models").json().get("production").asString());
        assertThat(info.at("/engine/device").asString()).isEqualTo("cpu()");
        assertThat(info.at("/engine/deviceSetting").asString()).isEqualTo("auto");
    }

    @Test
    void theOpenApiDescriptionListsEveryPublicEndpoint() {
        Http.Response docs = http.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        Set<String> documented = new TreeSet<>();
        docs.json().get("paths").propertyNames().forEach(documented::add);

        Set<String> served = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            // The servlet error page (/error) is no endpoint of the API, and hidden from the description.
            if (method.getBeanType().getPackageName().startsWith("dev.digits")
                    && !method.getBeanType().isAnnotationPresent(Hidden.class)) {
                served.addAll(info.getPatternValues());
            }
        });
        assertThat(served).contains("/predict", "/models", "/jobs", "/datasets", "/feedback", "/v2",
                "/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/infer");
        assertThat(documented).containsAll(served);
        assertThat(http.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }
}
