package dev.digits.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * There is no Docker engine on this project's machines, so docker-compose.yml is parsed (its
 * {@code <<} merge keys resolved, as Compose does) and checked: the default services as they were,
 * and the "scale" profile with PostgreSQL, MinIO, serving replicas and a trainer sharing no volume.
 */
class DockerComposeTests {

    private static final Path FILE = Path.of("docker-compose.yml");

    @Test
    void theDefaultServicesAreTheServiceOnAVolumeWithPrometheusAndGrafana() throws IOException {
        Map<String, Map<String, Object>> defaults = new LinkedHashMap<>();
        services().forEach((name, service) -> {
            if (!service.containsKey("profiles")) {
                defaults.put(name, service);
            }
        });
        assertThat(defaults).containsOnlyKeys("digits", "prometheus", "grafana");

        Map<String, Object> digits = defaults.get("digits");
        assertThat(digits).containsEntry("build", ".").containsEntry("image", "digits:latest")
                .containsEntry("ports", List.of("8080:8080")).containsEntry("volumes", List.of("digits-data:/data"))
                .containsEntry("environment", Map.of("DIGITS_HOME", "/data")).containsKey("healthcheck")
                .doesNotContainKey("depends_on");
        assertThat(defaults.get("prometheus")).containsEntry("depends_on", List.of("digits"))
                .containsEntry("volumes", List.of("./ops/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro"));
        assertThat(defaults.get("grafana")).containsEntry("depends_on", List.of("prometheus"));
    }

    @Test
    void theScaleProfileRunsServersAndATrainerOnPostgresAndMinio() throws IOException {
        Map<String, Map<String, Object>> scale = new LinkedHashMap<>();
        services().forEach((name, service) -> {
            if (((List<?>) service.getOrDefault("profiles", List.of())).contains("scale")) {
                scale.put(name, service);
            }
        });
        assertThat(scale).containsKeys("postgres", "minio", "digits-trainer");

        Map<String, Object> postgres = scale.get("postgres");
        assertThat((String) postgres.get("image")).startsWith("postgres:");
        assertThat(String.valueOf(map(postgres, "healthcheck").get("test"))).contains("pg_isready");
        assertThat((List<?>) postgres.get("volumes")).isNotEmpty();
        assertThat((String) scale.get("minio").get("image")).startsWith("minio/minio:");
        assertThat(map(scale.get("minio"), "healthcheck")).containsKey("test");

        List<String> servers = new ArrayList<>();
        List<String> trainers = new ArrayList<>();
        List<Object> hostPorts = new ArrayList<>();
        scale.forEach((name, service) -> {
            Map<String, Object> env = map(service, "environment");
            if (!env.containsKey("DIGITS_STORE")) {
                return;
            }
            assertThat(env).as(name).containsEntry("DIGITS_STORE", "postgres").containsEntry("DIGITS_BLOBS", "s3")
                    .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/digits")
                    .containsEntry("DIGITS_S3_ENDPOINT", "http://minio:9000").containsEntry("DIGITS_S3_PATH_STYLE", "true")
                    .containsKeys("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD", "DIGITS_S3_BUCKET",
                            "DIGITS_S3_ACCESS_KEY", "DIGITS_S3_SECRET_KEY", "DIGITS_SECURITY_ADMIN_KEY_HASHES");
            // No volume shared between replicas: /data is each container's own cache.
            assertThat(service).as(name).doesNotContainKey("volumes");
            Map<String, Object> dependsOn = map(service, "depends_on");
            assertThat(map(dependsOn, "postgres")).as(name).containsEntry("condition", "service_healthy");
            assertThat(map(dependsOn, "minio")).as(name).containsEntry("condition", "service_healthy");
            assertThat(service).as(name).containsKey("healthcheck");

            int concurrent = Integer.parseInt(String.valueOf(env.get("DIGITS_JOBS_CONCURRENT")));
            if (concurrent == 0) {
                servers.add(name);
                List<?> ports = (List<?>) service.get("ports");
                assertThat(ports).as(name).hasSize(1);
                hostPorts.add(String.valueOf(ports.get(0)).split(":")[0]);
            } else {
                trainers.add(name);
                // Scalable with --scale: no fixed host port to clash over.
                for (Object port : (List<?>) service.getOrDefault("ports", List.of())) {
                    assertThat(String.valueOf(port)).as(name).doesNotContain(":");
                }
            }
        });
        assertThat(servers).hasSizeGreaterThanOrEqualTo(2);
        assertThat(hostPorts).doesNotHaveDuplicates().doesNotContain("8080");
        assertThat(trainers).containsExactly("digits-trainer");

        // The bucket exists before any replica starts.
        Map<String, Object> init = scale.get("minio-init");
        assertThat(String.valueOf(init.get("command"))).contains("mc mb --ignore-existing store/"
                + map(scale.get("digits-trainer"), "environment").get("DIGITS_S3_BUCKET"));
        assertThat(map(map(scale.get("digits-trainer"), "depends_on"), "minio-init"))
                .containsEntry("condition", "service_completed_successfully");
    }

    @Test
    void theHeaderSaysHowToStartAndScaleAndPrometheusFindsEveryReplica() throws IOException {
        String text = Files.readString(FILE);
        assertThat(text).contains("docker compose --profile scale up --build")
                .contains("docker compose --profile scale up --scale digits-trainer=3");

        Map<String, Object> prometheus = new Yaml().load(Files.readString(Path.of("ops/prometheus/prometheus.yml")));
        String scrapeConfigs = String.valueOf(prometheus.get("scrape_configs"));
        for (String service : services().keySet()) {
            if (service.startsWith("digits")) {
                assertThat(scrapeConfigs).as(service).contains(service);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(FILE));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (Map<String, Object>) parent.get(key);
    }
}
