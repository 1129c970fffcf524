package dev.digits.images;

import java.util.List;

/**
 * What {@link NumberReader} asks about candidate digits: one batch of unit images in, one result
 * per image out. The reader only needs each result's probabilities; the caller keeps its own
 * result type (the service's predictions, with their model version and abstention).
 *
 * @param <R> the caller's result for one image
 */
public interface DigitClassifier<R> {

    /** @param units 784 values in [0, 1] each, bright ink on black, fitted and centred like MNIST */
    List<R> classify(List<float[]> units);

    /** The probabilities of the digits 0–9 in {@code result}, as the caller reports them. */
    double[] probabilities(R result);

    /**
     * The network's raw outputs for the digits 0–9. Their size says how much the network saw a digit
     * at all: a piece of a digit can still win the softmax with confidence, but it excites the
     * network far less than a whole digit does.
     */
    float[] logits(R result);
}
