package dev.digits.training;

import dev.digits.data.LabelledImages;
import dev.digits.model.Calibrations;
import dev.digits.model.InputContract;
import dev.digits.model.ModelMetadata;
import java.util.Arrays;

/**
 * Fits how a version turns logits into answers, on held-out data only: the softmax temperature
 * (Guo et al. 2017), kept only where it lowers the validation ECE, and the not-a-digit threshold on
 * the top calibrated probability, the highest one that rejects at most the target share of real
 * held-out digits.
 */
public final class Calibrator {

    private static final double MIN_LOG_TEMPERATURE = Math.log(0.05);
    private static final double MAX_LOG_TEMPERATURE = Math.log(20);

    private Calibrator() {
    }

    /** The fitted calibration and the validation ECE before and after the temperature. */
    public record Fit(ModelMetadata.Calibration calibration, double validationEceBefore, double validationEceAfter) {
    }

    /**
     * @param validation the validation digits (negatives among them are ignored)
     * @param validationLogits their logits, {@code [n × 10]}
     * @param realDigits every held-out real digit the threshold must accept (validation digits and
     *     client-style renders), as logits {@code [m × 10]}
     * @param falseRejectionTarget the share of {@code realDigits} the threshold may reject
     */
    public static Fit fit(LabelledImages validation, float[] validationLogits, float[] realDigits,
                          double falseRejectionTarget) {
        double before = Evaluator.summarize(validation, validationLogits, 1).expectedCalibrationError();
        double fitted = fitTemperature(validation, validationLogits);
        double after = Evaluator.summarize(validation, validationLogits, fitted).expectedCalibrationError();
        double temperature = after < before ? fitted : 1;
        double[] scores = scores(realDigits, temperature);
        double threshold = threshold(scores, falseRejectionTarget);
        int rejected = 0;
        for (double score : scores) {
            if (score < threshold) {
                rejected++;
            }
        }
        ModelMetadata.Calibration calibration = new ModelMetadata.Calibration(temperature, threshold,
                ModelMetadata.Calibration.MAX_SOFTMAX, falseRejectionTarget,
                scores.length == 0 ? null : rejected / (double) scores.length, scores.length);
        return new Fit(calibration, before, Math.min(before, after));
    }

    /** The top calibrated probability of each image: what the threshold is compared with. */
    public static double[] scores(float[] logits, double temperature) {
        int classes = InputContract.CLASSES;
        double[] scores = new double[logits.length / classes];
        for (int i = 0; i < scores.length; i++) {
            double[] p = Calibrations.softmax(logits, i * classes, classes, temperature);
            scores[i] = Arrays.stream(p).max().orElse(0);
        }
        return scores;
    }

    /**
     * The highest threshold that leaves at most {@code target} of the scores below it: the
     * {@code ⌊target·n⌋}-th smallest score (0 when no score may be rejected).
     */
    static double threshold(double[] scores, double target) {
        int mayReject = (int) Math.floor(target * scores.length);
        if (mayReject == 0) {
            return 0;
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        return sorted[mayReject];
    }

    /** The temperature with the lowest validation negative log-likelihood, by golden-section search on log T. */
    static double fitTemperature(LabelledImages digits, float[] logits) {
        double lo = MIN_LOG_TEMPERATURE;
        double hi = MAX_LOG_TEMPERATURE;
        double golden = (Math.sqrt(5) - 1) / 2;
        double a = hi - golden * (hi - lo);
        double b = lo + golden * (hi - lo);
        double fa = nll(digits, logits, Math.exp(a));
        double fb = nll(digits, logits, Math.exp(b));
        for (int i = 0; i < 60 && hi - lo > 1e-4; i++) {
            if (fa < fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - golden * (hi - lo);
                fa = nll(digits, logits, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + golden * (hi - lo);
                fb = nll(digits, logits, Math.exp(b));
            }
        }
        return Math.exp((lo + hi) / 2);
    }

    private static double nll(LabelledImages digits, float[] logits, double temperature) {
        int classes = InputContract.CLASSES;
        double sum = 0;
        int n = 0;
        for (int i = 0; i < digits.size(); i++) {
            int label = digits.label(i);
            if (label < classes) {
                double p = Calibrations.softmax(logits, i * classes, classes, temperature)[label];
                sum -= Math.log(Math.max(p, 1e-300));
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
