package dev.digits.bench;

import dev.digits.registry.StagedModel;
import dev.digits.storage.filesystem.FilesystemModels;
import ai.djl.Device;
import dev.digits.DigitsProperties;
import dev.digits.model.ModelArchive;
import dev.digits.registry.ModelRegistry;
import dev.digits.registry.RegistryProperties;
import dev.digits.support.ProcessMemory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * Resident memory across 100 hot swaps of production between two versions of the bundled model:
 * each loads and warms one version and closes the other. ModelMemoryTests checks that every native
 * array of a closed version is released; this records what the process's RSS does over many swaps.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.ModelSwapMemoryBenchmark</pre>
 */
public final class ModelSwapMemoryBenchmark {

    private ModelSwapMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Path home = Files.createTempDirectory("digits-swap-memory");
        ModelRegistry registry = new ModelRegistry(new FilesystemModels(home.resolve("models")),
                new RegistryProperties(Duration.ofHours(1), 2, DataSize.ofMegabytes(64)), Device.cpu(),
                new SimpleMeterRegistry());
        registry.afterPropertiesSet();
        StringBuilder table = new StringBuilder("""
                Production swapped 100 times between two copies of the bundled `cnn` (1.7 MB of parameters each),
                after 20 warm-up swaps; resident memory after a GC every 20 swaps.

                | swaps | resident (MiB) | JVM heap used (MiB) |
                |---|---|---|
                """);
        try {
            StagedModel staging = registry.stage();
            Files.createDirectories(staging.folder());
            for (String name : new String[] {ModelArchive.PARAMETERS, ModelArchive.METADATA}) {
                Files.copy(registry.open("1").folder().resolve(name), staging.folder().resolve(name));
            }
            String second = registry.register(staging);
            for (int i = 0; i < 20; i++) {
                registry.promote(i % 2 == 0 ? second : "1", ModelRegistry.PRODUCTION);
            }
            for (int cycle = 0; cycle <= 100; cycle++) {
                if (cycle % 20 == 0) {
                    System.gc();
                    Runtime runtime = Runtime.getRuntime();
                    table.append("| %d | %.0f | %.0f |%n".formatted(cycle, ProcessMemory.rssMiB(),
                            (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0));
                }
                registry.promote(cycle % 2 == 0 ? second : "1", ModelRegistry.PRODUCTION);
            }
        } finally {
            registry.destroy();
        }
        BenchmarkReport.write("swap-memory", "Native memory across 100 model load/unload cycles",
                "./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.ModelSwapMemoryBenchmark",
                table.toString());
    }
}
