package dev.digits.training;

/**
 * Expected calibration error (Naeini et al. 2015; Guo et al. 2017): predictions are put in 15
 * equal-width bins by confidence, and the gaps between each bin's mean confidence and its
 * accuracy are averaged, weighted by the bin's share of predictions.
 */
public final class CalibrationError {

    public static final int BINS = 15;

    private final long[] counts = new long[BINS];
    private final double[] confidenceSums = new double[BINS];
    private final long[] correct = new long[BINS];

    public void add(double confidence, boolean right) {
        int bin = Math.min(BINS - 1, (int) (confidence * BINS));
        counts[bin]++;
        confidenceSums[bin] += confidence;
        if (right) {
            correct[bin]++;
        }
    }

    public double value() {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        if (total == 0) {
            return 0;
        }
        double error = 0;
        for (int bin = 0; bin < BINS; bin++) {
            if (counts[bin] > 0) {
                double gap = Math.abs(confidenceSums[bin] / counts[bin] - correct[bin] / (double) counts[bin]);
                error += gap * counts[bin] / total;
            }
        }
        return error;
    }
}
