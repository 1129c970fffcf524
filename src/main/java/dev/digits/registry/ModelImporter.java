package dev.digits.registry;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.digits.model.Architectures;
import dev.digits.model.InputContract;
import dev.digits.model.Json;
import dev.digits.model.ModelArchive;
import dev.digits.model.ModelFormatException;
import dev.digits.model.ModelMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Validates an uploaded model archive and registers it: known architecture, checksum, parameter
 * shapes equal to the architecture's, finite outputs of the right shape on a smoke batch. A
 * rejected upload leaves nothing behind.
 */
@Component
public class ModelImporter {

    private final ModelRegistry registry;
    private final RegistryProperties properties;

    ModelImporter(ModelRegistry registry, RegistryProperties properties) {
        this.registry = registry;
        this.properties = properties;
    }

    public ModelMetadata importArchive(byte[] archive) {
        try (StagedModel staged = registry.stage()) {
            Path staging = staged.folder();
            ModelArchiveZip.unpack(archive, staging, properties.maxImportSize().toBytes());
            ModelMetadata metadata;
            try {
                metadata = ModelArchive.readMetadata(staging);
            } catch (IOException | ModelFormatException e) {
                throw new InvalidModelArchiveException("model.json is not valid model metadata: " + e.getMessage(), e);
            }
            Architectures.create(metadata.architecture());
            validate(staging, metadata);
            Map<String, Object> lineage = new LinkedHashMap<>();
            lineage.put("source", "import");
            if (metadata.lineage() != null) {
                lineage.put("importedLineage", metadata.lineage());
            }
            Json.writeAtomically(staging.resolve(ModelArchive.METADATA), metadata.withLineage(lineage));
            return registry.metadata(registry.register(staged));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void validate(Path folder, ModelMetadata metadata) throws IOException {
        try (Model model = ModelArchive.load(folder, metadata, Device.cpu());
             NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Block reference = Architectures.create(metadata.architecture());
            reference.initialize(manager, DataType.FLOAT32, Architectures.inputShape(1));
            for (Pair<String, Parameter> expected : reference.getParameters()) {
                Parameter actual = model.getBlock().getParameters().get(expected.getKey());
                Shape want = expected.getValue().getArray().getShape();
                // ModelArchive.load has already refused a file that leaves any parameter uninitialised.
                if (actual == null || !want.equals(actual.getArray().getShape())) {
                    throw new InvalidModelArchiveException("parameter " + expected.getKey() + " should have shape " + want
                            + " for architecture '" + metadata.architecture() + "'");
                }
            }
            NDArray smoke = manager.randomUniform(0, 1, Architectures.inputShape(8)).sub(InputContract.MEAN)
                    .div(InputContract.STD);
            NDArray output = model.getBlock().forward(new ParameterStore(manager, false), new NDList(smoke), false)
                    .singletonOrThrow();
            if (!output.getShape().equals(new Shape(8, InputContract.CLASSES)) || output.isNaN().any().getBoolean()
                    || output.isInfinite().any().getBoolean()) {
                throw new InvalidModelArchiveException("the model does not produce 10 finite scores per image");
            }
        } catch (ModelFormatException e) {
            throw new InvalidModelArchiveException(e.getMessage(), e);
        }
    }
}
