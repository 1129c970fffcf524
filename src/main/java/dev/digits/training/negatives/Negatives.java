package dev.digits.training.negatives;

import dev.digits.data.LabelledImages;
import dev.digits.data.MnistLoader;
import dev.digits.data.MnistSource;
import dev.digits.images.ImagePreprocessor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * Pictures that are no digit, for outlier exposure: a network also trained on such outliers, and
 * taught to be unsure of them, learns to tell inputs it should not answer from real digits
 * (Hendrycks, Mazeika and Dietterich, "Deep Anomaly Detection with Outlier Exposure", ICLR 2019).
 *
 * <p>Every negative is drawn as a client would send it (a 200–400 px canvas, paper or photo, see
 * {@link Presentation}) and goes through the real {@link ImagePreprocessor}, so the network meets
 * negatives exactly as it will meet them behind {@code /predict}. Pictures the preprocessing finds
 * no ink in are drawn again: blank images are answered as "no ink" before any network sees them.
 *
 * <p>Everything is a function of a seed: negative {@code k} of a family is drawn from a random
 * generator seeded by the seed, the family and {@code k} alone, so sets are reproducible
 * byte for byte and can be made in parallel. Thread-safe.
 */
public final class Negatives {

    /** Redraws before giving up on a picture the preprocessing calls blank; a handful is plenty. */
    private static final int MAX_ATTEMPTS = 32;
    private static final NegativeFamily[] FAMILIES = NegativeFamily.values();

    private final Map<NegativeFamily, Drawing> drawings = new EnumMap<>(NegativeFamily.class);
    private final ImagePreprocessor preprocessor = new ImagePreprocessor();

    /** @param digits labelled digits the {@link NegativeFamily#CROPS crops} are cut from (training images, never test) */
    public Negatives(LabelledImages digits) {
        drawings.put(NegativeFamily.LETTERS, Letters.DRAWING);
        drawings.put(NegativeFamily.SIGNS, Signs.DRAWING);
        drawings.put(NegativeFamily.STROKES, new Strokes());
        drawings.put(NegativeFamily.SHAPES, new Shapes());
        drawings.put(NegativeFamily.NOISE, new Noise());
        drawings.put(NegativeFamily.TEXTURES, new Textures());
        drawings.put(NegativeFamily.CROPS, new Crops(digits));
    }

    /** Negatives whose crops come from the bundled MNIST training images. */
    public static Negatives fromBundledMnist() {
        return new Negatives(MnistLoader.load(MnistSource.bundled()).train());
    }

    /**
     * {@code count} 28×28 negatives labelled {@link LabelledImages#NOT_A_DIGIT}, the families taking
     * turns: image {@code i} is negative {@code i / 7} of family {@code i % 7} (in
     * {@link NegativeFamily} order), the same image {@link #units(NegativeFamily, int, long)} and
     * {@link #upload} give for that family and index.
     */
    public LabelledImages units(int count, long seed) {
        return make(count, i -> unit(FAMILIES[i % FAMILIES.length], i / FAMILIES.length, seed));
    }

    /** The first {@code count} negatives of one family, for measuring rejection per family. */
    public LabelledImages units(NegativeFamily family, int count, long seed) {
        return make(count, k -> unit(family, k, seed));
    }

    /** The client image (PNG) behind negative {@code index} of {@code family}, as a client would upload it. */
    public byte[] upload(NegativeFamily family, int index, long seed) {
        return png(inked(family, index, seed).image());
    }

    /** One negative as a client image, before any preprocessing; it may hold no ink the preprocessing finds. */
    public BufferedImage render(NegativeFamily family, Random random) {
        Page page = Page.random(random);
        drawings.get(family).draw(page, random);
        return page.present(random);
    }

    /** Negative {@code index} of {@code family}: 784 values in [0, 1], as the preprocessing made them. */
    public float[] unit(NegativeFamily family, int index, long seed) {
        return inked(family, index, seed).unit();
    }

    private record Inked(BufferedImage image, float[] unit) {
    }

    private Inked inked(NegativeFamily family, int index, long seed) {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative: " + index);
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            BufferedImage image = render(family, new Random(seedOf(seed, family, index, attempt)));
            float[] unit = preprocessor.toMnist(image);
            if (hasInk(unit)) {
                return new Inked(image, unit);
            }
        }
        throw new IllegalStateException("no inked " + family + " negative in " + MAX_ATTEMPTS + " attempts");
    }

    private static LabelledImages make(int count, IntFunction<float[]> unit) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        byte[] pixels = new byte[count * LabelledImages.PIXELS];
        byte[] labels = new byte[count];
        // Each image depends on its index alone, so the order the threads run in changes nothing.
        IntStream.range(0, count).parallel().forEach(i -> {
            LabelledImages.putUnit(unit.apply(i), pixels, i * LabelledImages.PIXELS);
            labels[i] = (byte) LabelledImages.NOT_A_DIGIT;
        });
        return new LabelledImages(pixels, labels);
    }

    /** True when some pixel survives {@link LabelledImages#putUnit}'s rounding to bytes. */
    private static boolean hasInk(float[] unit) {
        for (float value : unit) {
            if (value >= 0.5f / 255) {
                return true;
            }
        }
        return false;
    }

    /** Mixes the seed, family, index and attempt into one generator seed (SplitMix64's finalizer). */
    static long seedOf(long seed, NegativeFamily family, int index, int attempt) {
        long z = seed;
        for (long part : new long[] {family.ordinal(), index, attempt}) {
            z = mix(z + 0x9E3779B97F4A7C15L * (part + 1));
        }
        return z;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
