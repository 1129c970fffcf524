package dev.digits.inference.v2;

import dev.digits.model.ModelMetadata;
import dev.digits.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

/** The server and model metadata of the protocol. */
@Component
class Metadata {

    /** {@code GET /v2}. */
    record Server(String name, String version, List<String> extensions) {
    }

    /**
     * {@code GET /v2/models/digits[/versions/{version}]}.
     *
     * @param versions what may be asked for: every version number and alias; with a version in the
     *                 path, the version number it is (so {@code production} shows which one serves)
     */
    record Model(String name, List<String> versions, String platform, List<Signature.TensorMetadata> inputs,
                 List<Signature.TensorMetadata> outputs) {
    }

    private final ModelRegistry registry;
    private final Server server;

    Metadata(ModelRegistry registry, ObjectProvider<BuildProperties> build) {
        this.registry = registry;
        BuildProperties properties = build.getIfAvailable();
        this.server = new Server(Signature.MODEL, properties == null ? "unknown" : properties.getVersion(),
                List.of(BinaryFraming.EXTENSION));
    }

    Server server() {
        return server;
    }

    /** @param version a version number or alias, or null for the model as a whole */
    Model model(String version) {
        List<String> versions;
        if (version != null) {
            versions = List.of(registry.resolve(version));
        } else {
            versions = new ArrayList<>();
            registry.versions().stream().map(ModelMetadata::version)
                    .sorted(Comparator.comparingLong(Long::parseLong)).forEach(versions::add);
            registry.aliases().keySet().stream().sorted().forEach(versions::add);
        }
        return new Model(Signature.MODEL, versions, Signature.PLATFORM, Signature.INPUTS, Signature.OUTPUTS);
    }
}
