package dev.digits.model;

/**
 * How a model scored on one labelled image set.
 *
 * @param confusion {@code confusion[actual][predicted]} counts
 */
public record Evaluation(int images, double accuracy, double loss, double[] perClassAccuracy, long[][] confusion) {
}
