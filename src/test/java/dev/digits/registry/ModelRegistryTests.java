package dev.digits.registry;

import static org.assertj.core.api.Assertions.assertThat;
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

    private ModelRegistry start() {
        ModelRegistry registry = new ModelRegistry(new ModelStore(home.resolve("models")),
                new RegistryProperties(Duration.ofHours(1), 2, DataSize.ofMegabytes(64)), Device.cpu(),
                new SimpleMeterRegistry());
        registry.afterPropertiesSet();
        started.add(registry);
        return registry;
    }

    /** Registers a copy of a version as a new one, as a training job would. */
    private static String copyOf(ModelRegistry registry, String version) throws IOException {
        Path staging = registry.store().newStagingFolder();
        Files.createDirectories(staging);
        for (String name : new String[] {ModelArchive.PARAMETERS, ModelArchive.METADATA}) {
            Files.copy(registry.store().folder(version).resolve(name), staging.resolve(name));
        }
        return registry.register(staging);
    }
}
