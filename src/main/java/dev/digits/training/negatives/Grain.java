package dev.digits.training.negatives;

import java.util.Random;

/**
 * Precomputed random values for per-pixel noise: a page has up to 100,000 pixels, and drawing a
 * fresh Gaussian for each would cost more than the rest of the negative. A random start and an odd
 * stride make each image's noise its own; the tables come from a fixed seed, so it stays reproducible.
 */
final class Grain {

    private static final int SIZE = 1 << 16;
    private static final int MASK = SIZE - 1;
    private static final float[] GAUSSIAN = new float[SIZE];
    private static final float[] UNIFORM = new float[SIZE];

    static {
        Random random = new Random(11);
        for (int i = 0; i < SIZE; i++) {
            GAUSSIAN[i] = (float) random.nextGaussian();
            UNIFORM[i] = random.nextFloat();
        }
    }

    private final int start;
    private final int stride;

    private Grain(int start, int stride) {
        this.start = start;
        this.stride = stride;
    }

    static Grain random(Random random) {
        return new Grain(random.nextInt(SIZE), 2 * (3_000 + random.nextInt(5_000)) + 1);
    }

    /** A standard normal value for sample {@code i} of this image. */
    float gaussian(int i) {
        return GAUSSIAN[(start + i * stride) & MASK];
    }

    /** A value uniform in [0, 1) for sample {@code i} of this image. */
    float uniform(int i) {
        return UNIFORM[(start + i * stride) & MASK];
    }
}
