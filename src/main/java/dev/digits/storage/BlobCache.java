package dev.digits.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * Local copies of blobs, for what must be read from a file (model parameters):
 * {@code <root>/<sha256>/<fileName>}. A copy is made by {@link BlobStore#get(String, Path)}, which
 * verifies the bytes and renames a complete file into place, so a file found here is whole and trusted
 * without hashing it again. Callers in this process wait for one download of a blob; processes sharing
 * the folder may download the same blob at once, each renaming an identical verified file into place.
 */
public final class BlobCache {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final BlobStore store;
    private final Path root;
    private final ConcurrentMap<String, Object> downloads = new ConcurrentHashMap<>();

    public BlobCache(BlobStore store, Path root) {
        this.store = store;
        this.root = root.toAbsolutePath();
    }

    /**
     * The local copy of blob {@code sha256} named {@code fileName}, downloaded first if missing.
     *
     * @throws StorageUnavailableException if it must be downloaded and the store cannot be reached
     * @throws CorruptBlobException if it must be downloaded and is missing or damaged in the store
     */
    public Path fetch(String sha256, String fileName) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256 in lower-case hex: " + sha256);
        }
        if (fileName == null || fileName.isEmpty() || fileName.startsWith(".")
                || !Path.of(fileName).getFileName().toString().equals(fileName)) {
            throw new IllegalArgumentException("not a plain file name: " + fileName);
        }
        Path file = root.resolve(sha256).resolve(fileName);
        if (Files.isRegularFile(file)) {
            return file;
        }
        synchronized (downloads.computeIfAbsent(sha256, key -> new Object())) {
            if (!Files.isRegularFile(file)) {
                store.get(sha256, file);
            }
        }
        return file;
    }
}
