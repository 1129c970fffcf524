package dev.digits.images;

import java.util.List;

/**
 * A row of digits read left to right; no digits when the image holds no ink (or only specks).
 *
 * @param <R> the classifier's result for each digit
 */
public record NumberReading<R>(List<ReadDigit<R>> digits) {

    /**
     * One digit of the row.
     *
     * @param digit the most likely digit
     * @param confidence its probability
     * @param box where its strokes lie, in the pixels of the image that was read
     * @param unit what the classifier saw: 784 values in [0, 1], fitted and centred like MNIST
     * @param result the classifier's own result for it
     */
    public record ReadDigit<R>(int digit, double confidence, Box box, float[] unit, R result) {
    }

    public NumberReading {
        digits = List.copyOf(digits);
    }

    public boolean isEmpty() {
        return digits.isEmpty();
    }

    /** The digits as a string, leading zeros kept: a code or a meter reading is not an integer. */
    public String number() {
        StringBuilder number = new StringBuilder(digits.size());
        digits.forEach(d -> number.append(d.digit()));
        return number.toString();
    }

    /** The joint confidence of the reading: the product of the digits' confidences. */
    public double confidence() {
        double product = 1;
        for (ReadDigit<R> d : digits) {
            product *= d.confidence();
        }
        return product;
    }
}
