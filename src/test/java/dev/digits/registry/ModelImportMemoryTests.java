package dev.digits.registry;

import dev.digits.storage.filesystem.FilesystemModels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.sun.management.ThreadMXBean;
import dev.digits.support.HostileModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * The outside battery's import case: archives under 2 MB whose parameter file declares a tensor of
 * 2³¹−1 bytes, or a huge shape with a matching length, or is truncated. Each is refused, and what
 * the import allocates is bounded by the import limit, not by what the file declares. (Timing is
 * for the benchmark; here the memory is counted: the importing thread's heap allocations and the
 * JVM's direct buffers, where DJL would have put the declared tensor.)
 */
class ModelImportMemoryTests {

    private static final DataSize IMPORT_LIMIT = DataSize.ofMegabytes(8);

    @TempDir
    Path home;

    private ModelRegistry registry;

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.destroy();
        }
    }

    @Test
    void aHostileParameterFileIsRefusedWithMemoryBoundedByTheImportLimit() throws IOException {
        RegistryProperties properties = new RegistryProperties(Duration.ofHours(1), 2, IMPORT_LIMIT);
        registry = new ModelRegistry(new FilesystemModels(home.resolve("models")), properties, Device.cpu(),
                new SimpleMeterRegistry());
        registry.afterPropertiesSet();
        ModelImporter importer = new ModelImporter(registry, properties);
        byte[] metadata = HostileModels.bundledMetadata();
        byte[] parameters = HostileModels.bundledParameters();
        // A good import first, so that what is loaded once per process is not counted below.
        assertThat(importer.importArchive(HostileModels.archive(metadata, parameters)).version()).isEqualTo("2");
        List<String> storeBefore = files();

        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (Map.Entry<String, byte[]> hostile : HostileModels.cases(parameters).entrySet()) {
            byte[] archive = HostileModels.archive(metadata, hostile.getValue());
            assertThat(archive.length).as(hostile.getKey()).isLessThan(2 << 20);
            long directBefore = directMemory();
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();

            assertThatThrownBy(() -> importer.importArchive(archive)).as(hostile.getKey())
                    .isInstanceOf(InvalidModelArchiveException.class);

            long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            assertThat(allocated).as(hostile.getKey() + ": heap allocated by the import")
                    .isLessThan(IMPORT_LIMIT.toBytes());
            // Other threads of the JVM (a web server of another test) may free or take a few buffers meanwhile;
            // DJL would have taken the declared size, a gigabyte or more.
            assertThat(directMemory() - directBefore).as(hostile.getKey() + ": direct buffers taken")
                    .isLessThan(1 << 20);
            assertThat(files()).as(hostile.getKey() + ": nothing left in the store").isEqualTo(storeBefore);
        }
        assertThat(registry.versions()).extracting(m -> m.version()).containsExactly("1", "2");
    }

    private List<String> files() throws IOException {
        try (Stream<Path> paths = Files.walk(home)) {
            return paths.map(p -> home.relativize(p).toString()).sorted().toList();
        }
    }

    private static long directMemory() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }
}
