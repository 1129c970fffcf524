package dev.digits.model;

/**
 * What every network here takes: one 1×28×28 image, MNIST polarity (bright ink on black),
 * values scaled to [0, 1] and then normalized with the MNIST training-set mean and deviation.
 * Training and inference both use these constants, so they can never drift apart.
 */
public final class InputContract {

    public static final int SIZE = 28;
    public static final int CHANNELS = 1;
    public static final int PIXELS = SIZE * SIZE;
    public static final int CLASSES = 10;

    /** Mean and standard deviation of the 60,000 MNIST training pixels, in [0, 1] units. */
    public static final float MEAN = 0.1307f;
    public static final float STD = 0.3081f;

    private InputContract() {
    }

    /** Normalizes a pixel given in [0, 1]. */
    public static float normalize(float unit) {
        return (unit - MEAN) / STD;
    }

    /** Normalizes a whole image in place; values are in [0, 1]. */
    public static void normalize(float[] unit, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            unit[i] = (unit[i] - MEAN) / STD;
        }
    }
}
