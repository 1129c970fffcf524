package dev.digits.training;

import dev.digits.data.LabelledImages;
import dev.digits.images.ClientStyles;
import dev.digits.images.ImageDecoder;
import dev.digits.images.ImagePreprocessor;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Real digits as clients send them, for choosing the rejection threshold: held-out digits
 * rendered as canvas drawings, coloured pens, scans and phone photos, encoded, then decoded and
 * preprocessed exactly as {@code /predict} does. A threshold fitted on MNIST alone would not know
 * how much a phone photo's digit loses in the round trip.
 */
public final class HeldOutDigits {

    private static final ClientStyles.Style[] STYLES = ClientStyles.Style.values();
    private static final long MAX_PIXELS = 25_000_000;

    private HeldOutDigits() {
    }

    /**
     * @param digits held-out digits to render (negatives among them are skipped)
     * @param count at most this many renders, the styles taking turns
     */
    public static LabelledImages clientStyle(LabelledImages digits, int count, long seed) {
        LabelledImages real = digits.filter(label -> label < LabelledImages.NOT_A_DIGIT);
        int n = Math.min(count, real.size());
        ClientStyles styles = new ClientStyles(real);
        ImageDecoder decoder = new ImageDecoder(MAX_PIXELS);
        ImagePreprocessor preprocessor = new ImagePreprocessor();
        byte[] pixels = new byte[n * LabelledImages.PIXELS];
        byte[] labels = new byte[n];
        // Each render has its own seeded Random, so the set is the same however the threads interleave.
        IntStream.range(0, n).parallel().forEach(i -> {
            Random random = new Random(seed * 31 + i);
            byte[] upload = styles.upload(STYLES[i % STYLES.length], i, random);
            LabelledImages.putUnit(preprocessor.toMnist(decoder.decode(upload)), pixels, i * LabelledImages.PIXELS);
            labels[i] = (byte) real.label(i);
        });
        return new LabelledImages(pixels, labels);
    }
}
