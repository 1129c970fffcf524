package dev.digits.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.digits.data.LabelledImages;
import dev.digits.model.ModelMetadata;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibratorTests {

    @Test
    void expectedCalibrationErrorIsTheWeightedGapBetweenConfidenceAndAccuracy() {
        CalibrationError error = new CalibrationError();
        // Bin [0.933, 1): 10 predictions at 0.95 confidence, 8 right → gap 0.15, weight 10/20.
        for (int i = 0; i < 10; i++) {
            error.add(0.95, i < 8);
        }
        // Bin [0.6, 0.667): 10 at 0.62, 6 right → gap 0.02, weight 10/20.
        for (int i = 0; i < 10; i++) {
            error.add(0.62, i < 6);
        }
        assertThat(error.value()).isCloseTo(0.5 * 0.15 + 0.5 * 0.02, within(1e-9));
        assertThat(new CalibrationError().value()).isZero();
    }

    @Test
    void aTemperatureAboveOneCoolsAnOverconfidentNetwork() {
        // Logits that say 99.99 % but are right 80 % of the time.
        Synthetic data = Synthetic.make(4_000, 0.8, 12f, 1);
        double temperature = Calibrator.fitTemperature(data.images(), data.logits());
        assertThat(temperature).isGreaterThan(2);

        Calibrator.Fit fit = Calibrator.fit(data.images(), data.logits(), data.logits(), 0.01);
        assertThat(fit.calibration().temperature()).isEqualTo(temperature);
        assertThat(fit.validationEceAfter()).isLessThan(fit.validationEceBefore() / 3);
    }

    @Test
    void aCalibratedNetworkKeepsATemperatureNearOne() {
        // Labels drawn from the softmax of the logits themselves: calibrated by construction.
        Random random = new Random(2);
        int n = 20_000;
        byte[] labels = new byte[n];
        float[] logits = new float[n * 10];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 10; c++) {
                logits[i * 10 + c] = (float) random.nextGaussian() * 3;
            }
            double[] p = dev.digits.model.Calibrations.softmax(logits, i * 10, 10, 1);
            double u = random.nextDouble();
            int label = 0;
            for (double sum = p[0]; sum < u && label < 9; sum += p[++label]) {
                // walk the cumulative distribution
            }
            labels[i] = (byte) label;
        }
        LabelledImages images = new LabelledImages(new byte[n * LabelledImages.PIXELS], labels);
        assertThat(Calibrator.fitTemperature(images, logits)).isBetween(0.9, 1.1);
        Calibrator.Fit fit = Calibrator.fit(images, logits, logits, 0.01);
        assertThat(fit.validationEceAfter()).isLessThanOrEqualTo(fit.validationEceBefore());
    }

    @Test
    void theThresholdRejectsAtMostTheTargetShareOfRealDigits() {
        double[] scores = new double[1_000];
        Random random = new Random(3);
        for (int i = 0; i < scores.length; i++) {
            scores[i] = random.nextDouble();
        }
        double threshold = Calibrator.threshold(scores, 0.01);
        long rejected = java.util.Arrays.stream(scores).filter(s -> s < threshold).count();
        assertThat(rejected).isEqualTo(10);
        assertThat(Calibrator.threshold(scores, 0.0005)).isZero();

        Synthetic data = Synthetic.make(3_000, 0.97, 6f, 4);
        ModelMetadata.Calibration calibration = Calibrator.fit(data.images(), data.logits(), data.logits(), 0.02)
                .calibration();
        assertThat(calibration.heldOutFalseRejection()).isLessThanOrEqualTo(0.02).isGreaterThan(0.015);
        assertThat(calibration.heldOutImages()).isEqualTo(3_000);
        assertThat(calibration.threshold()).isBetween(0.0, 1.0);
    }

    /** Labelled images (pixels unused) with logits that favour the label with probability {@code right}. */
    record Synthetic(LabelledImages images, float[] logits) {

        static Synthetic make(int n, double right, float margin, long seed) {
            Random random = new Random(seed);
            byte[] labels = new byte[n];
            float[] logits = new float[n * 10];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) random.nextInt(10);
                int favoured = random.nextDouble() < right ? labels[i] : (labels[i] + 1 + random.nextInt(9)) % 10;
                for (int c = 0; c < 10; c++) {
                    logits[i * 10 + c] = (float) random.nextGaussian() * 0.5f;
                }
                logits[i * 10 + favoured] += margin;
            }
            return new Synthetic(new LabelledImages(new byte[n * LabelledImages.PIXELS], labels), logits);
        }
    }
}
