package dev.digits.images;

/**
 * How wide each digit is for its height, as handwriting has it: the 0.5 % and 99.5 % quantiles of
 * the width-to-height ratio of each class's ink box (pixels ≥ 100 of 255) over the 60,000 MNIST
 * training digits, recomputed by {@code DigitShapesTests}. A classifier shown a piece of a digit
 * often names a digit with confidence: the right half of a 5 looks like a 5 to it once fitted into
 * the frame. Such pieces are far narrower than that digit ever is, and this says so.
 */
final class DigitShapes {

    static final double[] NARROWEST = {0.50, 0.10, 0.50, 0.40, 0.40, 0.45, 0.40, 0.40, 0.40, 0.40};
    static final double[] WIDEST = {1.54, 1.00, 1.82, 1.27, 1.25, 1.67, 1.25, 1.43, 1.33, 1.11};
    /** Log-score lost per unit of log-ratio outside the digit's range. */
    static final double PENALTY = 8.0;
    /** The digits of a row are about as tall as the row; a candidate much lower is a piece of one (a loop of an 8). */
    static final double LOW = 0.7;
    /** Log-score lost per unit of log-height below {@link #LOW}. */
    static final double LOW_PENALTY = 16.0;

    private DigitShapes() {
    }

    /**
     * Log of how plausible a box is for {@code digit}: 0 when usual.
     *
     * @param ratio its width over its height
     * @param heightShare its height over the line's
     */
    static double prior(int digit, double ratio, double heightShare) {
        double prior = 0;
        if (ratio < NARROWEST[digit]) {
            prior -= PENALTY * Math.log(NARROWEST[digit] / ratio);
        } else if (ratio > WIDEST[digit]) {
            prior -= PENALTY * Math.log(ratio / WIDEST[digit]);
        }
        if (heightShare < LOW) {
            prior -= LOW_PENALTY * Math.log(LOW / heightShare);
        }
        return prior;
    }
}
