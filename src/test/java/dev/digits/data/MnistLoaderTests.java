package dev.digits.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistLoaderTests {

    private static Mnist mnist;

    @BeforeAll
    static void load() {
        mnist = MnistLoader.load(MnistSource.bundled());
    }

    @Test
    void loadsTheOriginalSixtyAndTenThousandImages() {
        assertThat(mnist.train().size()).isEqualTo(60_000);
        assertThat(mnist.test().size()).isEqualTo(10_000);
        assertThat(mnist.train().countsPerClass()).containsExactly(5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949);
        assertThat(mnist.test().label(0)).isEqualTo(7);
    }

    @Test
    void splitsDeterministicallyBySeed() {
        Mnist.Split a = mnist.split(Mnist.DEFAULT_VALIDATION_SIZE, 7);
        Mnist.Split b = mnist.split(Mnist.DEFAULT_VALIDATION_SIZE, 7);
        Mnist.Split c = mnist.split(Mnist.DEFAULT_VALIDATION_SIZE, 8);

        assertThat(a.train().size()).isEqualTo(55_000);
        assertThat(a.validation().size()).isEqualTo(5_000);
        assertThat(a.test().size()).isEqualTo(10_000);
        assertThat(a.validation().pixels()).isEqualTo(b.validation().pixels());
        assertThat(a.validation().pixels()).isNotEqualTo(c.validation().pixels());
    }

    @Test
    void rejectsAFileWhoseChecksumDiffers(@TempDir Path folder) throws IOException {
        for (MnistFile file : MnistFile.values()) {
            try (InputStream in = MnistSource.bundled().open(file)) {
                Files.copy(in, folder.resolve(file.gzipName()));
            }
        }
        // Same size and a valid header, one pixel changed: only the checksum can tell.
        Path labels = folder.resolve(MnistFile.TEST_LABELS.gzipName());
        byte[] raw;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(labels))) {
            raw = in.readAllBytes();
        }
        raw[100] = (byte) ((raw[100] + 1) % 10);
        Files.delete(labels);
        Files.write(folder.resolve("t10k-labels-idx1-ubyte"), raw);

        assertThatThrownBy(() -> MnistLoader.load(MnistSource.directory(folder)))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("t10k-labels-idx1-ubyte")
                .hasMessageContaining("SHA-256");
    }

    @Test
    void readsRawFilesFromAFolder(@TempDir Path folder) throws IOException {
        for (MnistFile file : MnistFile.values()) {
            try (InputStream in = new GZIPInputStream(MnistSource.bundled().open(file))) {
                Files.write(folder.resolve(file.gzipName().replace(".gz", "")), in.readAllBytes());
            }
        }
        Mnist fromFolder = MnistLoader.load(MnistSource.directory(folder));
        assertThat(fromFolder.test().labels()).isEqualTo(mnist.test().labels());
    }

    @Test
    void verifiesStreamsWithoutTrustingTheirNames() {
        byte[] wrong = IdxReaderTests.idx(0x08, new int[] {3}, 3);
        assertThatThrownBy(() -> MnistLoader.readVerified(MnistFile.TRAIN_LABELS, new ByteArrayInputStream(wrong)))
                .hasMessageContaining("train-labels-idx1-ubyte.gz").hasMessageContaining("SHA-256");
    }
}
