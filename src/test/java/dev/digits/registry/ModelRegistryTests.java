package dev.digits.registry;

import dev.digits.storage.filesystem.FilesystemModels;
import dev.digits.storage.AtomicFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static dev.digits.support.ModelVersions.copyOf;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.digits.model.ModelArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.springframework.util.unit.DataSize;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTests {

    @TempDir
    Path home;

    private final List<ModelRegistry> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(ModelRegistry::destroy);
    }

    @Test
    void registersTheBundledModelOnFirstStartAndServesIt() {
        ModelRegistry registry = start();

        assertThat(registry.productionVersion()).isEqualTo("1");
        assertThat(registry.aliases()).containsEntry("production", "1");
        assertThat(registry.versions()).singleElement().satisfies(m -> {
            assertThat(m.version()).isEqualTo("1");
            assertThat(m.lineage()).containsEntry("source", "bundled");
        });
        LoadedModel model = registry.acquireProduction();
        assertThat(model.version()).isEqualTo("1");
        model.release();
    }

    @Test
    void keepsVersionsAndAliasesAcrossARestart() throws IOException {
        ModelRegistry first = start();
        String second = copyOf(first, "1");
        first.promote(second, "production");
        first.promote("1", "canary");
        first.destroy();
        started.remove(first);

        ModelRegistry restarted = start();
        assertThat(restarted.productionVersion()).isEqualTo(second);
        assertThat(restarted.aliases()).containsEntry("production", second).containsEntry("previous", "1")
                .containsEntry("canary", "1");
        assertThat(restarted.versions()).extracting(m -> m.version()).containsExactly("1", second);
    }

    @Test
    void promotesRollsBackAndSwapsTheServedModel() throws IOException {
        ModelRegistry registry = start();
        String two = copyOf(registry, "1");
        LoadedModel before = registry.acquireProduction();

        registry.promote(two, "production");
        assertThat(registry.productionVersion()).isEqualTo(two);
        assertThat(before.isClosed()).as("an in-flight request keeps its model").isFalse();
        before.release();
        assertThat(before.isClosed()).as("released after its last request").isTrue();

        registry.rollback();
        assertThat(registry.productionVersion()).isEqualTo("1");
        assertThat(registry.aliases()).containsEntry("production", "1").containsEntry("previous", two);
    }

    @Test
    void refusesToDeleteAVersionThatAnAliasPointsAt() throws IOException {
        ModelRegistry registry = start();
        String two = copyOf(registry, "1");

        assertThatThrownBy(() -> registry.delete("1")).isInstanceOf(ModelInUseException.class)
                .hasMessageContaining("production");
        registry.delete(two);
        assertThat(registry.versions()).extracting(m -> m.version()).containsExactly("1");
        assertThatThrownBy(() -> registry.resolve(two)).isInstanceOf(UnknownModelException.class);
    }

    @Test
    void skipsAndReportsACorruptVersionAndKeepsServingWhenALoadFails() throws IOException {
        ModelRegistry registry = start();
        String two = copyOf(registry, "1");
        Files.writeString(home.resolve("models").resolve(two).resolve(ModelArchive.PARAMETERS), "not parameters");
        Files.createDirectories(home.resolve("models/7"));

        assertThat(registry.corruptVersions()).containsOnlyKeys("7");
        assertThatThrownBy(() -> registry.promote(two, "production")).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("SHA-256");
        assertThat(registry.productionVersion()).isEqualTo("1");
        assertThat(registry.aliases()).containsEntry("production", "1").doesNotContainKey("previous");
    }

    @Test
    void startsWithProductionDamagedAndServesPreviousUntilAnotherVersionIsPromoted() throws IOException {
        ModelRegistry first = start();
        String two = copyOf(first, "1");
        first.promote(two, "production");
        stop(first);
        cutInHalf(two);

        ModelRegistry restarted = start();

        assertThat(restarted.productionVersion()).isEqualTo("1");
        assertThat(restarted.degraded()).isEqualTo(new ModelRegistry.Degraded(two, restarted.degraded().reason(), "1"));
        assertThat(restarted.degraded().reason()).contains("SHA-256").doesNotContain(home.toString());
        assertThat(restarted.aliases()).as("the store's aliases are not rewritten by one replica")
                .containsEntry("production", two).containsEntry("previous", "1");
        assertThat(restarted.corruptVersions()).containsOnlyKeys(two);
        LoadedModel serving = restarted.acquire("production");
        assertThat(serving.version()).isEqualTo("1");
        serving.release();

        restarted.promote("1", "production");
        assertThat(restarted.degraded()).isNull();
        assertThat(restarted.corruptVersions()).containsOnlyKeys(two);
    }

    @Test
    void whenPreviousIsDamagedTooServesTheNewestOlderVersionThatLoads() throws IOException {
        ModelRegistry first = start();
        String two = copyOf(first, "1");
        String three = copyOf(first, "1");
        String four = copyOf(first, "1");
        first.promote(four, "production");
        first.promote(three, "production"); // previous = 4, newer than production
        stop(first);
        cutInHalf(three);
        cutInHalf(four);
        Files.delete(home.resolve("models").resolve(two).resolve(ModelArchive.METADATA));

        ModelRegistry restarted = start();

        assertThat(restarted.productionVersion()).as("previous (4) and 2 are damaged; 1 is the newest older one")
                .isEqualTo("1");
        assertThat(restarted.degraded().productionVersion()).isEqualTo(three);
        assertThat(restarted.corruptVersions()).containsOnlyKeys(two, three, four);
        assertThat(restarted.corruptVersions().get(two)).isEqualTo("model.json is missing");
    }

    @Test
    void startsWhenProductionPointsAtAVersionThatIsGone() throws IOException {
        ModelRegistry first = start();
        String two = copyOf(first, "1");
        first.promote(two, "production");
        stop(first);
        AtomicFiles.deleteRecursively(home.resolve("models").resolve(two));

        ModelRegistry restarted = start();
        assertThat(restarted.productionVersion()).isEqualTo("1");
        assertThat(restarted.degraded().productionVersion()).isEqualTo(two);
    }

    @Test
    void verifiesEveryVersionAtStartAndReportsOneCutInHalf() throws Exception {
        ModelRegistry first = start();
        String two = copyOf(first, "1");
        stop(first);
        cutInHalf(two);

        ModelRegistry restarted = start();
        assertThat(restarted.productionVersion()).isEqualTo("1");
        assertThat(restarted.degraded()).isNull();
        dev.digits.support.Await.until(restarted::verified, done -> done, Duration.ofSeconds(30), "verification");
        assertThat(restarted.corruptVersions()).containsOnlyKeys(two);
        assertThat(restarted.corruptVersions().get(two)).contains("SHA-256").doesNotContain(home.toString());
        assertThatThrownBy(() -> restarted.acquire(two)).isInstanceOf(ModelLoadException.class)
                .message().doesNotContain(home.toString());
    }

    @Test
    void followsAPromotionMadeByAnotherReplica() throws Exception {
        ModelRegistry one = start();
        ModelRegistry other = start();
        String two = copyOf(one, "1");

        other.promote(two, "production");
        one.followStore();

        assertThat(one.productionVersion()).isEqualTo(two);
    }

    @Test
    void resolvesAliasesAndRejectsUnknownNames() {
        ModelRegistry registry = start();
        assertThat(registry.resolve("production")).isEqualTo("1");
        assertThat(registry.resolve("1")).isEqualTo("1");
        assertThatThrownBy(() -> registry.resolve("../1")).isInstanceOf(UnknownModelException.class);
        assertThatThrownBy(() -> registry.resolve("42")).isInstanceOf(UnknownModelException.class);
    }

    private void stop(ModelRegistry registry) {
        registry.destroy();
        started.remove(registry);
    }

    private void cutInHalf(String version) throws IOException {
        Path parameters = home.resolve("models").resolve(version).resolve(ModelArchive.PARAMETERS);
        byte[] bytes = Files.readAllBytes(parameters);
        Files.write(parameters, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    }

    private ModelRegistry start() {
        ModelRegistry registry = new ModelRegistry(new FilesystemModels(home.resolve("models")),
                new RegistryProperties(Duration.ofHours(1), 2, DataSize.ofMegabytes(64)), Device.cpu(),
                new SimpleMeterRegistry());
        registry.afterPropertiesSet();
        started.add(registry);
        return registry;
    }
}
