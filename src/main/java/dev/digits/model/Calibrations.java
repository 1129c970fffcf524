package dev.digits.model;

/** Turning logits into calibrated probabilities, the same way in training, evaluation and serving. */
public final class Calibrations {

    private Calibrations() {
    }

    /** softmax(logits / temperature), computed stably. */
    public static double[] softmax(float[] logits, double temperature) {
        return softmax(logits, 0, logits.length, temperature);
    }

    public static double[] softmax(float[] logits, int offset, int classes, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logits[offset + c] / temperature);
        }
        double[] probabilities = new double[classes];
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            probabilities[c] = Math.exp(logits[offset + c] / temperature - max);
            sum += probabilities[c];
        }
        for (int c = 0; c < classes; c++) {
            probabilities[c] /= sum;
        }
        return probabilities;
    }
}
