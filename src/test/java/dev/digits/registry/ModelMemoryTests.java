package dev.digits.registry;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.digits.support.ProcessMemory;
import java.nio.file.Path;
import java.time.Duration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * Loading and closing a version 100 times must not grow native memory. The bound is generous on
 * purpose (allocator caches, JIT, GC timing); a leak of a model per cycle would be about 170 MB per
 * 100 cycles for the cnn, and the measured figure is in docs/benchmarks.md.
 */
class ModelMemoryTests {

    @Test
    void residentMemoryStaysFlatOverAHundredLoadUnloadCycles(@TempDir Path home) {
        ModelRegistry registry = new ModelRegistry(new ModelStore(home.resolve("models")),
                new RegistryProperties(Duration.ofHours(1), 2, DataSize.ofMegabytes(64)), Device.cpu(),
                new SimpleMeterRegistry());
        registry.afterPropertiesSet();
        try {
            for (int i = 0; i < 20; i++) {
                registry.load("1").release();
            }
            System.gc();
            double before = ProcessMemory.rssMiB();
            for (int i = 0; i < 100; i++) {
                LoadedModel model = registry.load("1");
                model.release();
                assertThat(model.isClosed()).isTrue();
            }
            System.gc();
            double after = ProcessMemory.rssMiB();
            System.out.printf("RSS over 100 load/unload cycles: %.0f MiB -> %.0f MiB%n", before, after);
            assertThat(after - before).isLessThan(100);
        } finally {
            registry.destroy();
        }
    }
}
