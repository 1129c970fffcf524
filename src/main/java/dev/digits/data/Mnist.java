package dev.digits.data;

import java.util.Random;

/** The MNIST training (60,000) and test (10,000) sets. */
public record Mnist(LabelledImages train, LabelledImages test) {

    public static final int DEFAULT_VALIDATION_SIZE = 5_000;

    /**
     * A deterministic split of the 60,000 training images: the same seed always gives the same
     * validation images, so a model's validation score can be compared across runs.
     */
    public Split split(int validationSize, long seed) {
        int n = train.size();
        if (validationSize < 0 || validationSize >= n) {
            throw new IllegalArgumentException("validation size must be in [0, " + n + ") but is " + validationSize);
        }
        int[] order = shuffledIndices(n, seed);
        int[] validation = new int[validationSize];
        int[] training = new int[n - validationSize];
        System.arraycopy(order, 0, validation, 0, validationSize);
        System.arraycopy(order, validationSize, training, 0, training.length);
        return new Split(train.select(training), train.select(validation), test);
    }

    /** A seeded random permutation of 0..n-1. */
    public static int[] shuffledIndices(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Training, validation and test images of one run. */
    public record Split(LabelledImages train, LabelledImages validation, LabelledImages test) {
    }
}
