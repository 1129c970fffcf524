package dev.digits.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.digits.data.LabelledImages;
import dev.digits.support.MnistImages;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigitShapesTests {

    @Test
    void rangesAreThoseOfTheMnistTrainingDigits() {
        LabelledImages train = MnistImages.train();
        List<List<Double>> ratios = new ArrayList<>();
        for (int digit = 0; digit < 10; digit++) {
            ratios.add(new ArrayList<>());
        }
        for (int i = 0; i < train.size(); i++) {
            int minX = 28;
            int minY = 28;
            int maxX = -1;
            int maxY = -1;
            for (int p = 0; p < 784; p++) {
                if ((train.pixels()[i * 784 + p] & 0xff) >= 100) {
                    minX = Math.min(minX, p % 28);
                    maxX = Math.max(maxX, p % 28);
                    minY = Math.min(minY, p / 28);
                    maxY = Math.max(maxY, p / 28);
                }
            }
            ratios.get(train.label(i)).add((maxX - minX + 1) / (double) (maxY - minY + 1));
        }
        for (int digit = 0; digit < 10; digit++) {
            List<Double> sorted = ratios.get(digit);
            Collections.sort(sorted);
            assertThat(sorted.get((int) (0.005 * (sorted.size() - 1)))).as("narrowest %d", digit)
                    .isCloseTo(DigitShapes.NARROWEST[digit], within(0.006));
            assertThat(sorted.get((int) (0.995 * (sorted.size() - 1)))).as("widest %d", digit)
                    .isCloseTo(DigitShapes.WIDEST[digit], within(0.006));
        }
    }

    @Test
    void piecesOfDigitsAreImplausible() {
        // The right half of a 5: as tall as the line, a fifth as wide.
        assertThat(DigitShapes.prior(5, 0.2, 1.0)).isLessThan(-6);
        // A loop of an 8, half the line's height.
        assertThat(DigitShapes.prior(0, 1.0, 0.5)).isLessThan(-5);
        assertThat(DigitShapes.prior(1, 0.2, 1.0)).isZero();
        assertThat(DigitShapes.prior(0, 0.8, 0.95)).isZero();
    }
}
