package dev.digits.storage;

import java.nio.file.Path;

/**
 * The port to where large immutable files are kept when metadata lives in a database: model
 * parameters, dataset images, checkpoints. Blobs are addressed by the SHA-256 of their content, so
 * the same bytes are stored once, a name never points at other bytes, and every read is verified.
 * A blob is visible only once it is complete: an interrupted upload leaves nothing to read.
 */
public interface BlobStore {

    /**
     * Stores the file's bytes (a no-op if the store has them already).
     *
     * @return their SHA-256, in lower-case hex
     * @throws StorageUnavailableException if the store cannot be reached; nothing was stored
     */
    String put(Path file);

    /** {@link #put(Path)} for bytes in memory. */
    String put(byte[] bytes);

    /**
     * Writes the blob to {@code target}, replacing it atomically, after checking its SHA-256.
     *
     * @throws StorageUnavailableException if the store cannot be reached
     * @throws CorruptBlobException if the blob is missing or its bytes do not match its name
     */
    void get(String sha256, Path target);

    /** {@link #get(String, Path)} into memory, for small blobs. */
    byte[] get(String sha256);

    boolean exists(String sha256);
}
