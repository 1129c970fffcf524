package dev.digits.storage.postgres;

import dev.digits.storage.BlobStore;
import dev.digits.storage.StorageUnavailableException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** A real blob store that a test can make unreachable, as object storage down would be. */
final class SwitchableBlobs implements BlobStore {

    private final BlobStore store;
    private volatile boolean unavailable;
    final AtomicInteger gets = new AtomicInteger();

    SwitchableBlobs(BlobStore store) {
        this.store = store;
    }

    void unavailable(boolean value) {
        unavailable = value;
    }

    private void check() {
        if (unavailable) {
            throw new StorageUnavailableException("the blob store cannot be reached", null);
        }
    }

    @Override
    public String put(Path file) {
        check();
        return store.put(file);
    }

    @Override
    public String put(byte[] bytes) {
        check();
        return store.put(bytes);
    }

    @Override
    public void get(String sha256, Path target) {
        check();
        gets.incrementAndGet();
        store.get(sha256, target);
    }

    @Override
    public byte[] get(String sha256) {
        check();
        gets.incrementAndGet();
        return store.get(sha256);
    }

    @Override
    public boolean exists(String sha256) {
        check();
        return store.exists(sha256);
    }
}
