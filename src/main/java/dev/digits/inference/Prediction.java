package dev.digits.inference;

import dev.digits.model.InputContract;

/**
 * One image's answer.
 *
 * @param probabilities softmax over the ten digits, index = digit
 */
public record Prediction(int digit, double confidence, double[] probabilities, String modelVersion) {

    static Prediction fromLogits(float[] logits, int offset, String modelVersion) {
        int classes = InputContract.CLASSES;
        float max = Float.NEGATIVE_INFINITY;
        int best = 0;
        for (int c = 0; c < classes; c++) {
            if (logits[offset + c] > max) {
                max = logits[offset + c];
                best = c;
            }
        }
        double[] probabilities = new double[classes];
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            probabilities[c] = Math.exp(logits[offset + c] - max);
            sum += probabilities[c];
        }
        for (int c = 0; c < classes; c++) {
            probabilities[c] /= sum;
        }
        return new Prediction(best, probabilities[best], probabilities, modelVersion);
    }
}
