package dev.digits.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.training.negatives.NegativeFamily;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled model abstains on what is no digit and answers real digits, measured on images no
 * training run saw: MNIST test digits, client-style renders of them, and negatives drawn with a
 * held-out seed.
 */
class BundledAbstentionTests {

    private static AbstentionMeasurement measured;

    @BeforeAll
    static void measure() throws IOException {
        measured = AbstentionMeasurement.of(Path.of("src/main/resources/bundled-model"), 1_000, 150);
        System.out.println("bundled model abstention: " + measured);
    }

    @Test
    void carriesItsThresholdAndTemperature() {
        assertThat(measured.calibration().threshold()).isGreaterThan(0);
        assertThat(measured.calibration().temperature()).isPositive();
        assertThat(measured.calibration().heldOutFalseRejection())
                .isLessThanOrEqualTo(measured.calibration().targetFalseRejection());
    }

    @Test
    void rejectsAtMostOnePercentOfRealDigits() {
        assertThat(measured.mnistFalseRejection()).isLessThanOrEqualTo(0.01);
        assertThat(measured.clientFalseRejection()).isLessThanOrEqualTo(0.01);
    }

    @Test
    void rejectsTheProjectsOwnNegatives() {
        for (NegativeFamily family : NegativeFamily.values()) {
            assertThat(measured.rejectedPerFamily().get(family)).as(family.toString()).isGreaterThanOrEqualTo(0.95);
        }
        assertThat(measured.auroc()).isGreaterThan(0.99);
    }

    @Test
    void isAccurateAndCalibratedOnMnistTest() {
        assertThat(measured.accuracy()).isGreaterThanOrEqualTo(0.996);
        assertThat(measured.eceCalibrated()).isLessThan(0.01);
    }
}
