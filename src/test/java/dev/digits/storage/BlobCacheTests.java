package dev.digits.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.digits.storage.filesystem.FilesystemBlobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobCacheTests {

    @TempDir
    Path temp;

    private final AtomicInteger downloads = new AtomicInteger();

    @Test
    void aBlobIsDownloadedOnceAndThenServedFromTheCache() throws Exception {
        BlobStore store = counting(new FilesystemBlobs(temp.resolve("store")));
        byte[] bytes = random(100_000);
        String sha = store.put(bytes);
        BlobCache cache = new BlobCache(store, temp.resolve("cache"));

        Path first = cache.fetch(sha, "mnist-0001.params");
        Path second = cache.fetch(sha, "mnist-0001.params");

        assertThat(first).isEqualTo(temp.resolve("cache").resolve(sha).resolve("mnist-0001.params").toAbsolutePath());
        assertThat(second).isEqualTo(first);
        assertThat(Files.readAllBytes(first)).isEqualTo(bytes);
        assertThat(downloads).hasValue(1);
    }

    @Test
    void concurrentCallersShareOneVerifiedDownload() throws Exception {
        BlobStore store = counting(new FilesystemBlobs(temp.resolve("store")));
        byte[] bytes = random(4 * 1024 * 1024);
        String sha = store.put(bytes);
        BlobCache cache = new BlobCache(store, temp.resolve("cache"));
        int callers = 8;
        CyclicBarrier start = new CyclicBarrier(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Path>> paths = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                paths.add(pool.submit(() -> {
                    start.await();
                    return cache.fetch(sha, "model.params");
                }));
            }
            for (Future<Path> path : paths) {
                assertThat(Files.readAllBytes(path.get())).isEqualTo(bytes);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(downloads).hasValue(1);
        try (var files = Files.list(temp.resolve("cache").resolve(sha))) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("model.params");
        }
    }

    @Test
    void aDamagedBlobIsNotCached() throws Exception {
        FilesystemBlobs store = new FilesystemBlobs(temp.resolve("store"));
        String sha = store.put(random(1000));
        Path stored = temp.resolve("store").resolve(sha.substring(0, 2)).resolve(sha);
        Files.write(stored, new byte[] {0});
        BlobCache cache = new BlobCache(store, temp.resolve("cache"));

        assertThatThrownBy(() -> cache.fetch(sha, "model.params")).isInstanceOf(CorruptBlobException.class);

        assertThat(temp.resolve("cache").resolve(sha).resolve("model.params")).doesNotExist();
    }

    @Test
    void onlyPlainNamesAreAccepted() {
        BlobCache cache = new BlobCache(new FilesystemBlobs(temp.resolve("store")), temp.resolve("cache"));
        String sha = "a".repeat(64);
        for (String name : new String[] {"../x", "a/b", "..", ".hidden", ""}) {
            assertThatThrownBy(() -> cache.fetch(sha, name)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> cache.fetch("../" + sha, "model.params")).isInstanceOf(IllegalArgumentException.class);
    }

    private BlobStore counting(BlobStore store) {
        return new BlobStore() {
            @Override
            public String put(Path file) {
                return store.put(file);
            }

            @Override
            public String put(byte[] bytes) {
                return store.put(bytes);
            }

            @Override
            public void get(String sha256, Path target) {
                downloads.incrementAndGet();
                store.get(sha256, target);
            }

            @Override
            public byte[] get(String sha256) {
                downloads.incrementAndGet();
                return store.get(sha256);
            }

            @Override
            public boolean exists(String sha256) {
                return store.exists(sha256);
            }
        };
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
