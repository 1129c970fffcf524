package dev.digits.registry;

import dev.digits.model.ModelMetadata;
import java.nio.file.Path;

/**
 * A registered version whose archive can be read locally: to load it, to export it, or to
 * fine-tune from it. The files stay readable while the version exists.
 */
public record OpenedModel(ModelMetadata metadata, Path folder) {
}
