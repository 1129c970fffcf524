package dev.digits.storage.postgres;

import dev.digits.model.ModelArchive;
import dev.digits.storage.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Local copies of blobs, for files that must be read from disk (parameters, checkpoints). */
final class LocalCopies {

    private LocalCopies() {
    }

    /**
     * Makes {@code target} hold blob {@code sha256}: kept if it already does, else downloaded (the
     * blob store checks the bytes and replaces the file atomically).
     */
    static void fetch(BlobStore blobs, String sha256, Path target) {
        if (holds(target, sha256)) {
            return;
        }
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the local cache: " + e.getClass().getSimpleName(), e);
        }
        blobs.get(sha256, target);
    }

    /** Whether {@code file} exists and its SHA-256 is {@code sha256}. */
    static boolean holds(Path file, String sha256) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            return ModelArchive.sha256(file).equalsIgnoreCase(sha256);
        } catch (IOException e) {
            return false;
        }
    }
}
