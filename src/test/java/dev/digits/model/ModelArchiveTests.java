package dev.digits.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArchiveTests {

    @Test
    void savingThenLoadingGivesTheSameOutputs(@TempDir Path folder) throws IOException {
        Path saved = folder.resolve("1");
        float[] before;
        try (Model model = Model.newInstance(ModelArchive.NAME, Device.cpu(), "PyTorch");
             NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            model.setBlock(Architectures.create("cnn"));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, Architectures.inputShape(1));
            NDArray input = manager.randomNormal(Architectures.inputShape(3));
            before = outputs(model, input);
            ModelMetadata metadata = ModelArchive.save(model, metadata("cnn"), saved);
            assertThat(metadata.sha256()).hasSize(64);

            ModelMetadata read = ModelArchive.readMetadata(saved);
            assertThat(read.architecture()).isEqualTo("cnn");
            assertThat(read.normalization().mean()).isEqualTo(InputContract.MEAN);
            assertThat(read.createdAt()).isEqualTo(metadata.createdAt());
            assertThat(read.lineage()).containsEntry("source", "test");
            try (Model loaded = ModelArchive.load(saved, read, Device.cpu())) {
                assertThat(outputs(loaded, input)).containsExactly(before);
            }
        }
        assertThat(Files.list(folder).map(p -> p.getFileName().toString())).containsExactly("1");
    }

    @Test
    void refusesParametersThatDoNotMatchTheirChecksum(@TempDir Path folder) throws IOException {
        Path saved = saveUntrained(folder, "lenet5");
        byte[] parameters = Files.readAllBytes(saved.resolve(ModelArchive.PARAMETERS));
        parameters[parameters.length - 1] ^= 1;
        Files.write(saved.resolve(ModelArchive.PARAMETERS), parameters);

        assertThatThrownBy(() -> ModelArchive.load(saved, ModelArchive.readMetadata(saved), Device.cpu()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("SHA-256");
    }

    @Test
    void refusesParametersOfAnotherArchitecture(@TempDir Path folder) throws IOException {
        Path saved = saveUntrained(folder, "lenet5");
        ModelMetadata lying = ModelArchive.readMetadata(saved);
        lying = new ModelMetadata(lying.formatVersion(), null, "cnn", lying.parameterCount(), lying.normalization(),
                lying.evaluations(), lying.createdAt(), lying.sha256(), lying.lineage(), lying.calibration());

        ModelMetadata finalLying = lying;
        assertThatThrownBy(() -> ModelArchive.load(saved, finalLying, Device.cpu()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("architecture 'cnn'");
    }

    private static Path saveUntrained(Path folder, String architecture) throws IOException {
        Path saved = folder.resolve(architecture);
        try (Model model = Model.newInstance(ModelArchive.NAME, Device.cpu(), "PyTorch")) {
            model.setBlock(Architectures.create(architecture));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, Architectures.inputShape(1));
            ModelArchive.save(model, metadata(architecture), saved);
        }
        return saved;
    }

    private static ModelMetadata metadata(String architecture) {
        return new ModelMetadata(ModelMetadata.FORMAT_VERSION, null, architecture, 0,
                ModelMetadata.Normalization.current(), Map.of(), Instant.parse("2026-11-30T00:00:00Z"), null,
                Map.of("source", "test"), null);
    }

    private static float[] outputs(Model model, NDArray input) {
        try (NDManager scope = input.getManager().newSubManager()) {
            return model.getBlock().forward(new ParameterStore(scope, false), new NDList(input), false)
                    .singletonOrThrow().toFloatArray();
        }
    }
}
