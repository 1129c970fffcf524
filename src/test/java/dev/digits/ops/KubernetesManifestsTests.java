package dev.digits.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Kubernetes schema validator can be installed from the registries this project reaches, so the
 * manifests under k8s/ are parsed and checked for the fields the cluster and our operations need.
 * There are two layouts, applied one or the other: {@code k8s/*.yaml}, every replica on one
 * ReadWriteMany volume, and {@code k8s/scale-out/} (with the optional {@code gpu/} below it),
 * PostgreSQL and S3 with no shared volume.
 */
class KubernetesManifestsTests {

    private static final Path SINGLE_VOLUME = Path.of("k8s");
    private static final Path SCALE_OUT = Path.of("k8s", "scale-out");

    /** Names of settings whose values are credentials: they belong in a Secret only. */
    private static final Pattern CREDENTIAL = Pattern.compile(".*(PASSWORD|SECRET|ACCESS_KEY|ACCESSKEY|KEY_HASHES|KEYHASHES|TOKEN).*");

    @Test
    void everyManifestParsesAndNamesItsKind() throws IOException {
        for (Path layout : List.of(SINGLE_VOLUME, SCALE_OUT)) {
            List<Map<String, Object>> documents = documents(layout);
            assertThat(documents).isNotEmpty();
            for (Map<String, Object> document : documents) {
                assertThat(document).containsKeys("apiVersion", "kind", "metadata");
                assertThat(map(document, "metadata")).containsKey("name");
            }
        }
        assertThat(documents(SINGLE_VOLUME)).extracting(d -> d.get("kind")).contains("Deployment", "Service",
                "PersistentVolumeClaim", "ConfigMap", "HorizontalPodAutoscaler");
        assertThat(documents(SCALE_OUT)).extracting(d -> d.get("kind")).contains("Deployment", "Service",
                "ConfigMap", "Secret", "HorizontalPodAutoscaler").doesNotContain("PersistentVolumeClaim");
    }

    @Test
    void deploymentsHaveProbesResourcesGracefulStopAndScraping() throws IOException {
        List<Map<String, Object>> all = new ArrayList<>(ofKind(SINGLE_VOLUME, "Deployment"));
        all.addAll(ofKind(SCALE_OUT, "Deployment"));
        assertThat(all).hasSizeGreaterThanOrEqualTo(5);
        for (Map<String, Object> deployment : all) {
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
            }
        }
    }

    @Test
    void singleVolumeDeploymentsMountTheSharedStore() throws IOException {
        List<String> claims = ofKind(SINGLE_VOLUME, "PersistentVolumeClaim").stream()
                .map(c -> (String) map(c, "metadata").get("name")).toList();
        for (Map<String, Object> deployment : ofKind(SINGLE_VOLUME, "Deployment")) {
            Map<String, Object> podSpec = podSpec(deployment);
            Map<String, Object> volume = volumeAt(podSpec, "/data");
            assertThat(volume).as(name(deployment)).containsKey("persistentVolumeClaim");
            assertThat(claims).contains((String) map(volume, "persistentVolumeClaim").get("claimName"));
        }
        Map<String, Object> claim = ofKind(SINGLE_VOLUME, "PersistentVolumeClaim").get(0);
        assertThat(map(claim, "spec").get("accessModes")).isEqualTo(List.of("ReadWriteMany"));
    }

    @Test
    void scaleOutDeploymentsTakeTheStoreFromTheConfigMapAndSecretAndShareNoVolume() throws IOException {
        List<Map<String, Object>> deployments = ofKind(SCALE_OUT, "Deployment");
        assertThat(deployments).extracting(KubernetesManifestsTests::name)
                .contains("digits", "digits-trainer", "digits-trainer-gpu");
        for (Map<String, Object> deployment : deployments) {
            Map<String, Object> podSpec = podSpec(deployment);
            assertThat(volumeAt(podSpec, "/data")).as(name(deployment)).containsKey("emptyDir");
            assertThat(list(podSpec, "volumes")).as(name(deployment))
                    .noneMatch(v -> v.containsKey("persistentVolumeClaim"));

            Map<String, Object> container = list(podSpec, "containers").get(0);
            List<Map<String, Object>> envFrom = list(container, "envFrom");
            assertThat(envFrom).as(name(deployment))
                    .anyMatch(s -> s.containsKey("configMapRef") && "digits-store".equals(map(s, "configMapRef").get("name")))
                    .anyMatch(s -> s.containsKey("secretRef") && "digits-store".equals(map(s, "secretRef").get("name")));

            Map<String, String> env = environment(SCALE_OUT, container);
            assertThat(env).as(name(deployment)).containsEntry("DIGITS_STORE", "postgres")
                    .containsEntry("DIGITS_BLOBS", "s3").containsEntry("DIGITS_HOME", "/data")
                    .containsKeys("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
                            "DIGITS_S3_BUCKET", "DIGITS_S3_REGION", "DIGITS_S3_ACCESS_KEY", "DIGITS_S3_SECRET_KEY",
                            // no shared volume, so no key generated on it: the admin key must be configured
                            "DIGITS_SECURITY_ADMIN_KEY_HASHES");
            assertThat(env.get("SPRING_DATASOURCE_URL")).startsWith("jdbc:postgresql://");
        }
    }

    @Test
    void credentialsAreOnlyInTheSecret() throws IOException {
        for (Path layout : List.of(SINGLE_VOLUME, SCALE_OUT)) {
            for (Map<String, Object> configMap : ofKind(layout, "ConfigMap")) {
                assertThat(map(configMap, "data").keySet()).as(name(configMap))
                        .noneMatch(key -> CREDENTIAL.matcher(key).matches());
            }
            for (Map<String, Object> deployment : ofKind(layout, "Deployment")) {
                for (Map<String, Object> container : list(podSpec(deployment), "containers")) {
                    List<Map<String, Object>> env = optionalList(container, "env");
                    assertThat(env).as(name(deployment))
                            .noneMatch(e -> CREDENTIAL.matcher((String) e.get("name")).matches() && e.containsKey("value"));
                }
            }
        }
        Map<String, Object> secret = ofKind(SCALE_OUT, "Secret").stream()
                .filter(s -> "digits-store".equals(name(s))).findFirst().orElseThrow();
        // Readable placeholders, nothing base64-encoded that could hide a real credential.
        assertThat(secret).doesNotContainKey("data");
        assertThat(map(secret, "stringData")).containsKeys("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
                "DIGITS_S3_ACCESS_KEY", "DIGITS_S3_SECRET_KEY", "DIGITS_SECURITY_ADMIN_KEY_HASHES");
    }

    @Test
    void scaleOutServersOnlyServeAndTrainersTrainWithoutAVolume() throws IOException {
        Map<String, Object> serving = deployment(SCALE_OUT, "digits");
        assertThat((Integer) map(serving, "spec").get("replicas")).isGreaterThanOrEqualTo(2);
        assertThat(environment(SCALE_OUT, container(serving))).containsEntry("DIGITS_JOBS_CONCURRENT", "0");

        for (String name : List.of("digits-trainer", "digits-trainer-gpu")) {
            Map<String, Object> trainer = deployment(SCALE_OUT, name);
            assertThat(Integer.parseInt(environment(SCALE_OUT, container(trainer)).get("DIGITS_JOBS_CONCURRENT")))
                    .as(name).isGreaterThanOrEqualTo(1);
            // Several trainers may run at once: nothing forces a single one.
            assertThat(map(map(trainer, "spec"), "strategy").get("type")).as(name).isEqualTo("RollingUpdate");
        }
        Map<String, Object> trainers = deployment(SCALE_OUT, "digits-trainer");
        assertThat((Integer) map(trainers, "spec").get("replicas")).isGreaterThanOrEqualTo(2);

        Map<String, Object> gpu = container(deployment(SCALE_OUT, "digits-trainer-gpu"));
        assertThat(map(map(gpu, "resources"), "limits")).containsEntry("nvidia.com/gpu", "1");
        assertThat(environment(SCALE_OUT, gpu)).containsEntry("DIGITS_DEVICE", "gpu");
        assertThat(gpu.get("image")).isEqualTo("digits:gpu");
    }

    @Test
    void theSingleVolumeTrainerAsksForAGpuAndIsTheOnlyOne() throws IOException {
        Map<String, Object> trainer = deployment(SINGLE_VOLUME, "digits-trainer");
        assertThat(map(map(container(trainer), "resources"), "limits")).containsKey("nvidia.com/gpu");
        // Jobs live in one process's memory with the filesystem store: exactly one trainer.
        assertThat(map(trainer, "spec").get("replicas")).isEqualTo(1);
        assertThat(map(map(trainer, "spec"), "strategy").get("type")).isEqualTo("Recreate");
        assertThat(environment(SINGLE_VOLUME, container(deployment(SINGLE_VOLUME, "digits"))))
                .containsEntry("DIGITS_JOBS_CONCURRENT", "0");
    }

    @Test
    void servicesSelectTheirPodsAndTheAutoscalerScalesTheServers() throws IOException {
        for (Path layout : List.of(SINGLE_VOLUME, SCALE_OUT)) {
            List<Map<String, Object>> deployments = ofKind(layout, "Deployment");
            for (Map<String, Object> service : ofKind(layout, "Service")) {
                Map<String, Object> selector = map(map(service, "spec"), "selector");
                assertThat(deployments).as(name(service)).anyMatch(d -> selects(selector, d));
            }
            // /predict goes to serving replicas only, never to a pod busy training.
            Map<String, Object> selector = map(map(service(layout, "digits"), "spec"), "selector");
            for (Map<String, Object> deployment : deployments) {
                assertThat(selects(selector, deployment)).as(layout + " " + name(deployment))
                        .isEqualTo("digits".equals(name(deployment)));
            }
            Map<String, Object> trainers = map(map(service(layout, "digits-trainer"), "spec"), "selector");
            assertThat(deployments).as(layout + ": a trainer behind digits-trainer").anyMatch(d -> selects(trainers, d));

            Map<String, Object> hpa = ofKind(layout, "HorizontalPodAutoscaler").get(0);
            assertThat(map(map(hpa, "spec"), "scaleTargetRef").get("name")).isEqualTo("digits");
        }
    }

    private static boolean selects(Map<String, Object> selector, Map<String, Object> deployment) {
        Map<String, Object> labels = map(map(map(map(deployment, "spec"), "template"), "metadata"), "labels");
        return labels.entrySet().containsAll(selector.entrySet());
    }

    /**
     * The container's environment as Kubernetes gives it: the ConfigMaps and Secrets of
     * {@code envFrom} in order, then {@code env}, which wins. Only objects of the same layout count.
     */
    private static Map<String, String> environment(Path layout, Map<String, Object> container) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (Map<String, Object> source : optionalList(container, "envFrom")) {
            boolean isConfigMap = source.containsKey("configMapRef");
            String name = (String) map(source, isConfigMap ? "configMapRef" : "secretRef").get("name");
            Map<String, Object> object = ofKind(layout, isConfigMap ? "ConfigMap" : "Secret").stream()
                    .filter(o -> name.equals(name(o))).findFirst()
                    .orElseThrow(() -> new AssertionError(layout + " has no " + (isConfigMap ? "ConfigMap " : "Secret ") + name));
            map(object, isConfigMap ? "data" : "stringData").forEach((key, value) -> env.put(key, String.valueOf(value)));
        }
        for (Map<String, Object> variable : optionalList(container, "env")) {
            if (variable.containsKey("value")) {
                env.put((String) variable.get("name"), String.valueOf(variable.get("value")));
            }
        }
        return env;
    }

    private static Map<String, Object> volumeAt(Map<String, Object> podSpec, String mountPath) {
        Map<String, Object> mount = list(list(podSpec, "containers").get(0), "volumeMounts").stream()
                .filter(m -> mountPath.equals(m.get("mountPath"))).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + mountPath));
        return list(podSpec, "volumes").stream().filter(v -> mount.get("name").equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + mount.get("name")));
    }

    private static Map<String, Object> deployment(Path layout, String name) throws IOException {
        return ofKind(layout, "Deployment").stream().filter(d -> name.equals(name(d))).findFirst()
                .orElseThrow(() -> new AssertionError(layout + " has no Deployment " + name));
    }

    private static Map<String, Object> service(Path layout, String name) throws IOException {
        return ofKind(layout, "Service").stream().filter(d -> name.equals(name(d))).findFirst()
                .orElseThrow(() -> new AssertionError(layout + " has no Service " + name));
    }

    private static Map<String, Object> podSpec(Map<String, Object> deployment) {
        return map(map(map(deployment, "spec"), "template"), "spec");
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        return list(podSpec(deployment), "containers").get(0);
    }

    private static String name(Map<String, Object> object) {
        return (String) map(object, "metadata").get("name");
    }

    private static List<Map<String, Object>> ofKind(Path layout, String kind) throws IOException {
        return documents(layout).stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    /** The documents of a layout: {@code k8s/*.yaml} alone, or everything under {@code k8s/scale-out/}. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(Path layout) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Stream<Path> files = layout.equals(SINGLE_VOLUME) ? Files.list(layout) : Files.walk(layout)) {
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

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> optionalList(Map<String, Object> parent, String key) {
        return (List<Map<String, Object>>) parent.getOrDefault(key, List.of());
    }
}
