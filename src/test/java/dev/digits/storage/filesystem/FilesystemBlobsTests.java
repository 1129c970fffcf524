package dev.digits.storage.filesystem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.storage.BlobStore;
import dev.digits.storage.BlobStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FilesystemBlobsTests extends BlobStoreContract {

    private Path root;

    @Override
    protected BlobStore newStore() {
        root = temp.resolve("blobs");
        return new FilesystemBlobs(root);
    }

    @Override
    protected void overwriteStored(String sha256, byte[] bytes) throws Exception {
        Files.write(((FilesystemBlobs) store()).path(sha256), bytes);
    }

    @Override
    protected long storedBlobs() throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void blobsAreFilesUnderTheFirstTwoHexDigits() {
        String sha = store().put(new byte[] {1, 2, 3});

        assertThat(root.resolve(sha.substring(0, 2)).resolve(sha)).hasBinaryContent(new byte[] {1, 2, 3});
    }

    @Test
    void storingAgainRepairsADamagedBlob() throws Exception {
        byte[] bytes = random(50_000, 6);
        String sha = store().put(bytes);
        overwriteStored(sha, new byte[] {0});

        store().put(bytes);

        assertThat(store().get(sha)).isEqualTo(bytes);
    }

    @Test
    void writesAbandonedByACrashAreRemovedAtStartButNotThoseInProgress() throws Exception {
        Path abandoned = Files.writeString(root.resolve(".blob-123.tmp"), "half");
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Path inProgress = Files.writeString(root.resolve(".blob-456.tmp"), "half");

        new FilesystemBlobs(root);

        assertThat(abandoned).doesNotExist();
        assertThat(inProgress).exists();
    }
}
