package dev.digits.data;

import dev.digits.model.InputContract;
import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * 28×28 grayscale images (0–255, row-major, ink bright on dark as in MNIST) with digit labels, or
 * {@link #NOT_A_DIGIT} for the negatives that teach a network to abstain.
 * Kept as plain bytes on the heap: 60,000 images are 47 MB, and NDArrays are made per batch.
 */
public record LabelledImages(byte[] pixels, byte[] labels) {

    public static final int PIXELS = InputContract.PIXELS;

    /** The label of an image that is no digit at all: a letter, a sign, a doodle, noise. */
    public static final int NOT_A_DIGIT = InputContract.CLASSES;

    public LabelledImages {
        if (pixels.length != labels.length * PIXELS) {
            throw new IllegalArgumentException(labels.length + " labels but " + pixels.length / (double) PIXELS + " images");
        }
        for (byte label : labels) {
            if (label < 0 || label > NOT_A_DIGIT) {
                throw new IllegalArgumentException("label out of range 0-9 or " + NOT_A_DIGIT + " (not a digit): " + label);
            }
        }
    }

    public static LabelledImages of(IdxData images, IdxData labels, String name) {
        int[] dims = images.dimensions();
        if (dims.length != 3 || dims[1] != InputContract.SIZE || dims[2] != InputContract.SIZE) {
            throw new IdxFormatException(name, "images must be [n, 28, 28] but are " + images);
        }
        if (labels.dimensions().length != 1) {
            throw new IdxFormatException(name, "labels must be one-dimensional but are " + labels);
        }
        if (images.count() != labels.count()) {
            throw new IdxFormatException(name, images.count() + " images but " + labels.count() + " labels");
        }
        try {
            return new LabelledImages(images.values(), labels.values());
        } catch (IllegalArgumentException e) {
            throw new IdxFormatException(name, e.getMessage(), e);
        }
    }

    public int size() {
        return labels.length;
    }

    public int label(int index) {
        return labels[index];
    }

    /** Copies image {@code index} into {@code target} as values in [0, 1]. */
    public void copyUnit(int index, float[] target, int offset) {
        int base = index * PIXELS;
        for (int i = 0; i < PIXELS; i++) {
            target[offset + i] = (pixels[base + i] & 0xff) / 255f;
        }
    }

    /** The inverse of {@link #copyUnit}: stores a [0, 1] image as bytes at {@code offset}, clamping stray values. */
    public static void putUnit(float[] unit, byte[] target, int offset) {
        for (int i = 0; i < PIXELS; i++) {
            target[offset + i] = (byte) Math.round(Math.max(0, Math.min(1, unit[i])) * 255);
        }
    }

    public LabelledImages select(int[] indices) {
        byte[] p = new byte[indices.length * PIXELS];
        byte[] l = new byte[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * PIXELS, p, i * PIXELS, PIXELS);
            l[i] = labels[indices[i]];
        }
        return new LabelledImages(p, l);
    }

    public LabelledImages first(int count) {
        int n = Math.min(count, size());
        byte[] p = new byte[n * PIXELS];
        byte[] l = new byte[n];
        System.arraycopy(pixels, 0, p, 0, p.length);
        System.arraycopy(labels, 0, l, 0, n);
        return new LabelledImages(p, l);
    }

    /** Images per digit; not-a-digit images are not counted. */
    public int[] countsPerClass() {
        int[] counts = new int[InputContract.CLASSES];
        for (byte label : labels) {
            if (label < InputContract.CLASSES) {
                counts[label]++;
            }
        }
        return counts;
    }

    /** These images followed by {@code more}. */
    public LabelledImages concat(LabelledImages more) {
        byte[] p = Arrays.copyOf(pixels, pixels.length + more.pixels.length);
        System.arraycopy(more.pixels, 0, p, pixels.length, more.pixels.length);
        byte[] l = Arrays.copyOf(labels, labels.length + more.labels.length);
        System.arraycopy(more.labels, 0, l, labels.length, more.labels.length);
        return new LabelledImages(p, l);
    }

    /** Only the images whose label satisfies {@code keep}. */
    public LabelledImages filter(IntPredicate keep) {
        return select(IntStream.range(0, size()).filter(i -> keep.test(labels[i])).toArray());
    }
}
