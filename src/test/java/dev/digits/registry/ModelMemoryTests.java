package dev.digits.registry;

import dev.digits.storage.filesystem.FilesystemModels;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.TranslateException;
import dev.digits.model.Architectures;
import dev.digits.model.InputContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * Closing a version frees its native memory: after the last reference goes, the model's NDManager
 * is closed and every parameter array has released its native tensor. This is checked array by
 * array rather than through the process RSS, which in a shared test JVM also moves with the Java
 * heap and the allocator's caches; the RSS over 100 hot swaps is measured by
 * {@code ModelSwapMemoryBenchmark} and written to docs/benchmarks.md.
 */
class ModelMemoryTests {

    @Test
    void everyNativeArrayOfAVersionIsReleasedWhenItsLastReferenceGoes(@TempDir Path home)
            throws TranslateException {
        ModelRegistry registry = newRegistry(home);
        try {
            for (int i = 0; i < 100; i++) {
                LoadedModel loaded = registry.load("1");
                Model model = loaded.djlModel();
                predictOnce(loaded);
                List<NDArray> parameters = model.getBlock().getParameters().values().stream()
                        .map(parameter -> parameter.getArray()).toList();
                assertThat(parameters).isNotEmpty().noneMatch(NDArray::isReleased);

                loaded.release();

                assertThat(loaded.isClosed()).isTrue();
                assertThat(model.getNDManager().isOpen()).as("model manager open after cycle %d", i).isFalse();
                assertThat(parameters).as("parameter arrays after cycle %d", i).allMatch(NDArray::isReleased);
            }
        } finally {
            registry.destroy();
        }
    }

    @Test
    void aPredictorOfAThreadThatIsGoneIsDroppedWhenAnotherThreadFirstPredicts(@TempDir Path home)
            throws Exception {
        ModelRegistry registry = newRegistry(home);
        LoadedModel loaded = registry.load("1");
        try {
            for (int i = 0; i < 5; i++) {
                Thread retired = new Thread(() -> loaded.predictor());
                retired.start();
                retired.join();
            }
            predictOnce(loaded);
            assertThat(loaded.cachedPredictors()).as("only the live thread's predictor").isEqualTo(1);
        } finally {
            loaded.release();
            registry.destroy();
        }
    }

    /**
     * An explanation's forward and backward pass frees every array it made, the autograd graph's
     * included, and leaves no gradient in the model: its parameters never ask for one.
     */
    @Test
    void inputGradientsLeaveNoArrayAndNoGradientInTheModel(@TempDir Path home) {
        ModelRegistry registry = newRegistry(home);
        LoadedModel loaded = registry.load("1");
        try {
            Model model = loaded.djlModel();
            int[] targets = new int[16];
            float[] batch = new float[16 * InputContract.PIXELS];
            loaded.inputGradients(batch, targets);
            int before = model.getNDManager().getManagedArrays().size();
            for (int i = 0; i < 100; i++) {
                Arrays.fill(targets, i % InputContract.CLASSES);
                Arrays.fill(batch, i / 100f);
                loaded.inputGradients(batch, targets);
            }
            assertThat(model.getNDManager().getManagedArrays()).as("arrays of the model's manager").hasSize(before);
            for (Parameter parameter : model.getBlock().getParameters().values()) {
                PtNDArray array = (PtNDArray) parameter.getArray();
                assertThat(JniUtils.requiresGrad(array)).as("%s requires a gradient", parameter.getName()).isFalse();
                assertThat(JniUtils.getGradient(array)).as("%s has a gradient", parameter.getName()).isNull();
            }
        } finally {
            loaded.release();
            registry.destroy();
        }
    }

    /** A registry on a fresh store, holding the bundled model as version 1. */
    private static ModelRegistry newRegistry(Path home) {
        ModelRegistry registry = new ModelRegistry(new FilesystemModels(home.resolve("models")),
                new RegistryProperties(Duration.ofHours(1), 2, DataSize.ofMegabytes(64)), Device.cpu(),
                new SimpleMeterRegistry());
        registry.afterPropertiesSet();
        return registry;
    }

    /** Creates the calling thread's predictor, which the release must close as well. */
    private static void predictOnce(LoadedModel loaded) throws TranslateException {
        try (NDManager manager = loaded.djlModel().getNDManager().newSubManager()) {
            NDList output = loaded.predictor().predict(new NDList(manager.zeros(Architectures.inputShape(1))));
            assertThat(output.singletonOrThrow().getShape().get(1)).isEqualTo(10);
        }
    }
}
