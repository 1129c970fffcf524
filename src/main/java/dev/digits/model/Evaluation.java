package dev.digits.model;

/**
 * How a model scored on one labelled image set.
 *
 * @param confusion {@code confusion[actual][predicted]} counts
 * @param expectedCalibrationError how far confidence is from accuracy (15 equal-width bins, weighted by
 *     their share of images), with the version's temperature; null in files from before it was measured
 */
public record Evaluation(int images, double accuracy, double loss, double[] perClassAccuracy, long[][] confusion,
                         Double expectedCalibrationError) {
}
