package dev.digits.inference;

import dev.digits.model.InputContract;

/**
 * Why the network answered as it did: the image it saw and how much each pixel pushed it toward
 * the answer.
 *
 * @param input the 28×28 unit image (values in [0, 1], bright ink on black), row-major
 * @param attributions per pixel, for the explained digit
 */
public record Explanation(float[] input, Attributions attributions) {

    /**
     * @param method how the values were computed, e.g. {@code integrated-gradients}
     * @param steps interpolation steps between the baseline and the image
     * @param digit the class the values explain
     * @param values 28 rows of 28 values; positive pushes toward {@code digit}
     */
    public record Attributions(String method, int steps, int digit, float[][] values) {
    }

    float[][] inputRows() {
        return rows(input);
    }

    /** A row-major 784-value image as 28 rows. */
    public static float[][] rows(float[] image) {
        float[][] rows = new float[InputContract.SIZE][InputContract.SIZE];
        for (int y = 0; y < InputContract.SIZE; y++) {
            System.arraycopy(image, y * InputContract.SIZE, rows[y], 0, InputContract.SIZE);
        }
        return rows;
    }
}
