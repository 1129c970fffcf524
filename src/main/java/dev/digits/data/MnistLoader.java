package dev.digits.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/** Loads MNIST from a {@link MnistSource}, verifying every file's SHA-256 while it is read. */
public final class MnistLoader {

    private MnistLoader() {
    }

    public static Mnist load(MnistSource source) {
        LabelledImages train = LabelledImages.of(read(source, MnistFile.TRAIN_IMAGES),
                read(source, MnistFile.TRAIN_LABELS), "MNIST train");
        LabelledImages test = LabelledImages.of(read(source, MnistFile.TEST_IMAGES),
                read(source, MnistFile.TEST_LABELS), "MNIST test");
        return new Mnist(train, test);
    }

    private static IdxData read(MnistSource source, MnistFile file) {
        try (InputStream in = source.open(file)) {
            return readVerified(file, in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file.gzipName(), e);
        }
    }

    static IdxData readVerified(MnistFile file, InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
        buffered.reset();
        MessageDigest sha256 = sha256();
        InputStream raw = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        IdxData data = IdxReader.read(file.gzipName(), new DigestInputStream(raw, sha256));
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(file.sha256())) {
            throw new IdxFormatException(file.gzipName(), "SHA-256 is " + actual + " but the original MNIST file's is "
                    + file.sha256());
        }
        return data;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
