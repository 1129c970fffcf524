package dev.digits.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import com.sun.management.ThreadMXBean;
import dev.digits.support.HostileModels;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parameter files are checked against their architecture's layout before DJL reads them: DJL
 * allocates whatever lengths and shapes a file declares.
 */
class ParameterLayoutTests {

    private static final byte[] BUNDLED = HostileModels.bundledParameters();

    @TempDir
    Path folder;

    @Test
    void acceptsTheFilesThisProjectWrites() throws IOException {
        assertThatCode(() -> ParameterLayout.of("cnn").check(write(BUNDLED))).doesNotThrowAnyException();
        // A network trained with another batch size records it in its input shapes: still the same layout.
        for (int batch : new int[] {1, 300}) {
            for (String architecture : Architectures.names()) {
                Path saved = folder.resolve(architecture + "-" + batch);
                try (Model model = Model.newInstance(ModelArchive.NAME, Device.cpu(), "PyTorch")) {
                    model.setBlock(Architectures.create(architecture));
                    model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, Architectures.inputShape(batch));
                    model.setProperty("Epoch", "0");
                    model.save(saved, ModelArchive.NAME);
                }
                assertThatCode(() -> ParameterLayout.of(architecture).check(saved.resolve(ModelArchive.PARAMETERS)))
                        .as(architecture + " trained with batch " + batch).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void refusesEveryHostileOrBrokenFileWithoutAllocatingWhatItDeclares() throws IOException {
        ParameterLayout layout = ParameterLayout.of("cnn");
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (Map.Entry<String, byte[]> hostile : HostileModels.cases(BUNDLED).entrySet()) {
            Path file = write(hostile.getValue());
            long directBefore = directMemory();
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();

            assertThatThrownBy(() -> layout.check(file)).as(hostile.getKey()).isInstanceOf(ModelFormatException.class)
                    .message().doesNotContain(folder.toString());

            long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            // At most the architecture's own parameters (1.7 MB) are read, never what the file declares.
            assertThat(allocated).as(hostile.getKey() + ": heap allocated while checking")
                    .isLessThan(2L * layout.parameterBytes() + (1 << 20));
            // Other threads of the JVM may free or take a few buffers meanwhile; DJL would take gigabytes.
            assertThat(directMemory() - directBefore).as(hostile.getKey() + ": direct memory taken")
                    .isLessThan(1 << 20);
        }
    }

    @Test
    void refusesAnotherArchitecturesParametersAndNamesWhereTheyDiffer() throws IOException {
        Path cnn = write(BUNDLED);
        assertThatThrownBy(() -> ParameterLayout.of("lenet5").check(cnn)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("architecture 'lenet5'");
        byte[] renamed = BUNDLED.clone();
        int name = indexOf(renamed, "weight".getBytes());
        renamed[name] = 'W';
        assertThatThrownBy(() -> ParameterLayout.of("cnn").check(write(renamed))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("parameter");
    }

    private Path write(byte[] bytes) throws IOException {
        Path file = Files.createTempFile(folder, "model", ".params");
        Files.write(file, bytes);
        return file;
    }

    private static long directMemory() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
