package dev.digits.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link BlobStore} promises: blobs named by their SHA-256, stored once, read back only
 * when their bytes still match the name, and a failed read leaves the target as it was.
 */
public abstract class BlobStoreContract {

    @TempDir
    protected Path temp;

    private BlobStore store;

    /** A new, empty store for one test. */
    protected abstract BlobStore newStore() throws Exception;

    /** Replaces the stored bytes of blob {@code sha256} behind the store's back. */
    protected abstract void overwriteStored(String sha256, byte[] bytes) throws Exception;

    /** How many blobs (files, objects) the store holds. */
    protected abstract long storedBlobs() throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    protected BlobStore store() {
        return store;
    }

    @Test
    void bytesComeBackUnderTheirSha256() throws IOException {
        byte[] bytes = "seven".getBytes(StandardCharsets.UTF_8);

        String sha = store.put(bytes);

        assertThat(sha).isEqualTo(sha256(bytes));
        assertThat(store.exists(sha)).isTrue();
        assertThat(store.get(sha)).isEqualTo(bytes);
        Path target = temp.resolve("out/seven.txt");
        store.get(sha, target);
        assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
    }

    @Test
    void aTenMegabyteFileComesBackWhole() throws IOException {
        Path file = write("params.bin", random(10 * 1024 * 1024 + 123, 1));

        String sha = store.put(file);

        assertThat(sha).isEqualTo(sha256(Files.readAllBytes(file)));
        Path target = temp.resolve("copy.bin");
        Files.writeString(target, "an older version");
        store.get(sha, target);
        assertThat(Files.mismatch(file, target)).isEqualTo(-1);
        assertThat(leftovers(temp)).isEmpty();
    }

    @Test
    void aSmallFileAndAnEmptyOneComeBackWhole() throws IOException {
        Path small = write("small.bin", random(300_000, 2));
        Path empty = write("empty.bin", new byte[0]);

        String smallSha = store.put(small);
        String emptySha = store.put(empty);

        assertThat(emptySha).isEqualTo(sha256(new byte[0]));
        store.get(smallSha, temp.resolve("small-copy.bin"));
        store.get(emptySha, temp.resolve("empty-copy.bin"));
        assertThat(Files.mismatch(small, temp.resolve("small-copy.bin"))).isEqualTo(-1);
        assertThat(temp.resolve("empty-copy.bin")).isEmptyFile();
    }

    @Test
    void theSameContentIsStoredOnce() throws Exception {
        byte[] bytes = random(200_000, 3);
        Path file = write("same.bin", bytes);

        String first = store.put(bytes);
        String second = store.put(bytes);
        String third = store.put(file);

        assertThat(second).isEqualTo(first);
        assertThat(third).isEqualTo(first);
        assertThat(storedBlobs()).isEqualTo(1);
    }

    @Test
    void anUnknownBlobDoesNotExist() {
        assertThat(store.exists(sha256(new byte[] {42}))).isFalse();
    }

    @Test
    void aMissingBlobIsReportedAndTheTargetIsLeftAlone() throws IOException {
        String missing = sha256("never stored".getBytes(StandardCharsets.UTF_8));
        Path target = write("model.params", "the previous parameters".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> store.get(missing, target))
                .isInstanceOf(CorruptBlobException.class).hasMessageContaining(missing).hasMessageContaining("missing");
        assertThatThrownBy(() -> store.get(missing)).isInstanceOf(CorruptBlobException.class);
        assertThat(target).hasContent("the previous parameters");
        assertThatThrownBy(() -> store.get(missing, temp.resolve("absent.params"))).isInstanceOf(CorruptBlobException.class);
        assertThat(temp.resolve("absent.params")).doesNotExist();
        assertThat(leftovers(temp)).isEmpty();
    }

    @Test
    void aDamagedBlobIsRefusedAndTheTargetIsLeftAlone() throws Exception {
        byte[] bytes = random(1_000_000, 4);
        String sha = store.put(bytes);
        byte[] damaged = bytes.clone();
        damaged[500_000] ^= 1;
        overwriteStored(sha, damaged);
        Path target = write("model.params", "the previous parameters".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> store.get(sha, target))
                .isInstanceOf(CorruptBlobException.class).hasMessageContaining(sha);
        assertThatThrownBy(() -> store.get(sha)).isInstanceOf(CorruptBlobException.class);
        assertThat(target).hasContent("the previous parameters");
        assertThat(leftovers(temp)).isEmpty();
    }

    @Test
    void concurrentPutsOfTheSameContentStoreItOnce() throws Exception {
        byte[] bytes = random(3 * 1024 * 1024, 5);
        Path file = write("shared.bin", bytes);
        int writers = 6;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<String>> shas = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                boolean fromFile = i % 2 == 0;
                Callable<String> put = () -> {
                    start.await();
                    return fromFile ? store.put(file) : store.put(bytes);
                };
                shas.add(pool.submit(put));
            }
            for (Future<String> sha : shas) {
                assertThat(sha.get()).isEqualTo(sha256(bytes));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(storedBlobs()).isEqualTo(1);
        assertThat(store.get(sha256(bytes))).isEqualTo(bytes);
    }

    @Test
    void namesThatAreNotSha256AreRefused() {
        for (String name : new String[] {"../../etc/passwd", "ABC", sha256(new byte[0]).toUpperCase(), ""}) {
            assertThatThrownBy(() -> store.get(name)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.exists(name)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    protected Path write(String name, byte[] bytes) throws IOException {
        Path file = temp.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    protected static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    protected static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hidden temporary files that a read or write left behind. */
    protected static List<Path> leftovers(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(path -> path.getFileName().toString().startsWith(".")).toList();
        }
    }
}
