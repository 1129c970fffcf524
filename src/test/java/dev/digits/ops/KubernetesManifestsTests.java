package dev.digits.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Kubernetes schema validator can be installed from the registries this project reaches, so the
 * manifests under k8s/ are parsed and checked for the fields the cluster and our operations need.
 */
class KubernetesManifestsTests {

    private static final Path FOLDER = Path.of("k8s");

    @Test
    void everyManifestParsesAndNamesItsKind() throws IOException {
        List<Map<String, Object>> documents = documents();
        assertThat(documents).isNotEmpty();
        for (Map<String, Object> document : documents) {
            assertThat(document).containsKeys("apiVersion", "kind", "metadata");
            assertThat(map(document, "metadata")).containsKey("name");
        }
        assertThat(documents).extracting(d -> d.get("kind")).contains("Deployment", "Service",
                "PersistentVolumeClaim", "ConfigMap", "HorizontalPodAutoscaler");
    }

    @Test
    void deploymentsHaveProbesResourcesGracefulStopScrapingAndTheStore() throws IOException {
        for (Map<String, Object> deployment : ofKind("Deployment")) {
            Map<String, Object> template = map(map(deployment, "spec"), "template");
            Map<String, Object> podSpec = map(template, "spec");
            assertThat(map(map(template, "metadata"), "annotations")).containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("prometheus.io/path", "/actuator/prometheus");
            assertThat((Integer) podSpec.get("terminationGracePeriodSeconds")).isGreaterThanOrEqualTo(30);
            assertThat(map(map(deployment, "spec"), "selector").get("matchLabels"))
                    .isEqualTo(map(template, "metadata").get("labels"));
            for (Map<String, Object> container : list(podSpec, "containers")) {
                assertThat(container).containsKeys("image", "readinessProbe", "livenessProbe", "resources");
                assertThat(map(map(container, "readinessProbe"), "httpGet").get("path"))
                        .isEqualTo("/actuator/health/readiness");
                assertThat(map(map(container, "livenessProbe"), "httpGet").get("path"))
                        .isEqualTo("/actuator/health/liveness");
                assertThat(map(container, "resources")).containsKeys("requests", "limits");
                assertThat(list(container, "volumeMounts")).anyMatch(m -> "/data".equals(m.get("mountPath")));
            }
            assertThat(list(podSpec, "volumes")).anyMatch(v -> v.containsKey("persistentVolumeClaim"));
        }
    }

    @Test
    void theTrainerAsksForAGpuAndServicesSelectTheirPods() throws IOException {
        Map<String, Object> trainer = ofKind("Deployment").stream()
                .filter(d -> "digits-trainer".equals(map(d, "metadata").get("name"))).findFirst().orElseThrow();
        Map<String, Object> container = list(map(map(map(trainer, "spec"), "template"), "spec"), "containers").get(0);
        assertThat(map(map(container, "resources"), "limits")).containsKey("nvidia.com/gpu");

        List<Map<String, Object>> deployments = ofKind("Deployment");
        for (Map<String, Object> service : ofKind("Service")) {
            Map<String, Object> selector = map(map(service, "spec"), "selector");
            assertThat(deployments).anyMatch(d -> map(map(map(d, "spec"), "template"), "metadata").get("labels")
                    .equals(selector));
        }
        Map<String, Object> hpa = ofKind("HorizontalPodAutoscaler").get(0);
        assertThat(map(map(hpa, "spec"), "scaleTargetRef").get("name")).isEqualTo("digits");
    }

    private static List<Map<String, Object>> ofKind(String kind) throws IOException {
        return documents().stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(FOLDER)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Yaml().loadAll(Files.readString(file))) {
                    if (document != null) {
                        documents.add((Map<String, Object>) document);
                    }
                }
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (List<Map<String, Object>>) parent.get(key);
    }
}
