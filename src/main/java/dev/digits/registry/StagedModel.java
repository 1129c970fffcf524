package dev.digits.registry;

import dev.digits.storage.AtomicFiles;
import java.nio.file.Path;

/**
 * A model archive being written ({@code model-0000.params} and {@code model.json} in
 * {@link #folder()}) that is not a version yet. Closing it removes whatever was not registered.
 */
public final class StagedModel implements AutoCloseable {

    private final Path folder;

    public StagedModel(Path folder) {
        this.folder = folder;
    }

    /** Where the archive is written; it does not exist until the writer creates it. */
    public Path folder() {
        return folder;
    }

    @Override
    public void close() {
        AtomicFiles.deleteQuietly(folder);
    }
}
