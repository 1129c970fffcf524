package dev.digits.support;

import dev.digits.model.ModelArchive;
import dev.digits.registry.ModelRegistry;
import dev.digits.registry.StagedModel;
import java.io.IOException;
import java.nio.file.Files;

/** Model versions made for tests and benchmarks. */
public final class ModelVersions {

    private ModelVersions() {
    }

    /** Registers a copy of a version as a new one, as a training job would. */
    public static String copyOf(ModelRegistry registry, String version) throws IOException {
        StagedModel staging = registry.stage();
        Files.createDirectories(staging.folder());
        for (String name : new String[] {ModelArchive.PARAMETERS, ModelArchive.METADATA}) {
            Files.copy(registry.open(version).folder().resolve(name), staging.folder().resolve(name));
        }
        return registry.register(staging);
    }
}
