package dev.digits.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.digits.model.InputContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The method's arithmetic, on functions whose integrated gradients are known exactly. */
class IntegratedGradientsTests {

    private static final int PIXELS = InputContract.PIXELS;
    private static final float BASELINE = InputContract.normalize(0f);

    /** For a linear function the gradient is constant, so every step count gives the exact answer. */
    @Test
    void aLinearFunctionGetsItsWeightsTimesTheDistanceFromBlack() {
        float[][] weights = randomWeights(3);
        float[] image = randomImage(1);
        List<Explanation> explained = new IntegratedGradients(16).explain(List.of(image), List.of(4),
                (input, targets) -> linearGradients(weights, input, targets));

        Explanation explanation = explained.get(0);
        assertThat(explanation.attributions().method()).isEqualTo("integrated-gradients");
        assertThat(explanation.attributions().steps()).isEqualTo(16);
        assertThat(explanation.attributions().digit()).isEqualTo(4);
        assertThat(explanation.input()).containsExactly(image).isNotSameAs(image);
        float[][] values = explanation.attributions().values();
        assertThat(values).hasNumberOfRows(28);
        for (int p = 0; p < PIXELS; p++) {
            float expected = weights[4][p] * (InputContract.normalize(image[p]) - BASELINE);
            assertThat(values[p / 28][p % 28]).isCloseTo(expected, within(1e-4f));
        }
    }

    /**
     * F(x) = (w·(x − black))³: the gradient grows along the path, and the attributions still add up
     * to F(image) − F(black), closer the more steps.
     */
    @Test
    void attributionsAddUpToTheChangeOfTheOutputFromBlack() {
        float[][] weights = randomWeights(5);
        float[] image = randomImage(6);
        double exact = Math.pow(dot(weights[2], distance(image)), 3);
        double previousError = Double.MAX_VALUE;
        for (int steps : new int[] {4, 16, 64}) {
            Explanation explanation = new IntegratedGradients(steps).explain(List.of(image), List.of(2),
                    (input, targets) -> cubeGradients(weights, input, targets)).get(0);
            double error = Math.abs(sum(explanation) - exact);
            assertThat(error).as("error at %d steps", steps).isLessThan(previousError);
            previousError = error;
        }
        assertThat(previousError).isLessThan(1e-3 * Math.abs(exact));
    }

    @Test
    void oneBatchHoldsEveryStepOfEveryImageAndEachImageKeepsItsTarget() {
        float[][] weights = randomWeights(8);
        List<float[]> images = List.of(randomImage(9), randomImage(10), randomImage(11));
        List<Integer> targets = List.of(3, 0, 9);
        List<Integer> batchSizes = new ArrayList<>();
        List<Explanation> together = new IntegratedGradients(16).explain(images, targets, (input, t) -> {
            batchSizes.add(t.length);
            return cubeGradients(weights, input, t);
        });

        assertThat(batchSizes).containsExactly(3 * 16);
        for (int i = 0; i < images.size(); i++) {
            Explanation alone = new IntegratedGradients(16).explain(List.of(images.get(i)), List.of(targets.get(i)),
                    (input, t) -> cubeGradients(weights, input, t)).get(0);
            assertThat(together.get(i).attributions().digit()).isEqualTo(targets.get(i));
            assertThat(together.get(i).attributions().values()).isDeepEqualTo(alone.attributions().values());
        }
    }

    @Test
    void aLargeBatchIsExplainedInPassesOfBoundedSize() {
        float[][] weights = randomWeights(12);
        List<float[]> images = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            images.add(randomImage(100 + i));
            targets.add(i % 10);
        }
        List<Integer> batchSizes = new ArrayList<>();
        List<Explanation> explained = new IntegratedGradients(16).explain(images, targets, (input, t) -> {
            batchSizes.add(t.length);
            return linearGradients(weights, input, t);
        });

        assertThat(batchSizes).containsExactly(8 * 16, 8 * 16, 4 * 16);
        assertThat(explained).extracting(e -> e.attributions().digit()).containsExactlyElementsOf(targets);
        float[] last = images.get(19);
        assertThat(explained.get(19).attributions().values()[14][14])
                .isCloseTo(weights[9][14 * 28 + 14] * (InputContract.normalize(last[14 * 28 + 14]) - BASELINE),
                        within(1e-4f));
    }

    @Test
    void anEmptyImageHasNoAttributions() {
        Explanation explanation = new IntegratedGradients(16).explain(List.of(new float[PIXELS]), List.of(1),
                (input, targets) -> cubeGradients(randomWeights(1), input, targets)).get(0);
        assertThat(sum(explanation)).isZero();
    }

    @Test
    void refusesMismatchedArguments() {
        IntegratedGradients method = new IntegratedGradients(16);
        assertThatThrownBy(() -> method.explain(List.of(new float[PIXELS]), List.of(1, 2), (i, t) -> i))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> method.explain(List.of(new float[10]), List.of(1), (i, t) -> i))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IntegratedGradients(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** d (w_t · x) / dx = w_t, for each image of the batch. */
    private static float[] linearGradients(float[][] weights, float[] input, int[] targets) {
        float[] gradients = new float[input.length];
        for (int i = 0; i < targets.length; i++) {
            System.arraycopy(weights[targets[i]], 0, gradients, i * PIXELS, PIXELS);
        }
        return gradients;
    }

    /** d (w_t · (x − black))³ / dx = 3 (w_t · (x − black))² w_t. */
    private static float[] cubeGradients(float[][] weights, float[] input, int[] targets) {
        float[] gradients = new float[input.length];
        for (int i = 0; i < targets.length; i++) {
            float[] w = weights[targets[i]];
            double s = 0;
            for (int p = 0; p < PIXELS; p++) {
                s += w[p] * (input[i * PIXELS + p] - BASELINE);
            }
            for (int p = 0; p < PIXELS; p++) {
                gradients[i * PIXELS + p] = (float) (3 * s * s * w[p]);
            }
        }
        return gradients;
    }

    private static float[][] randomWeights(long seed) {
        Random random = new Random(seed);
        float[][] weights = new float[InputContract.CLASSES][PIXELS];
        for (float[] row : weights) {
            for (int p = 0; p < PIXELS; p++) {
                row[p] = (float) random.nextGaussian() * 0.01f;
            }
        }
        return weights;
    }

    private static float[] randomImage(long seed) {
        Random random = new Random(seed);
        float[] image = new float[PIXELS];
        for (int p = 0; p < PIXELS; p++) {
            image[p] = random.nextFloat() < 0.2f ? random.nextFloat() : 0;
        }
        return image;
    }

    private static float[] distance(float[] unit) {
        float[] distance = new float[PIXELS];
        for (int p = 0; p < PIXELS; p++) {
            distance[p] = InputContract.normalize(unit[p]) - BASELINE;
        }
        return distance;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double sum(Explanation explanation) {
        double sum = 0;
        for (float[] row : explanation.attributions().values()) {
            for (float value : row) {
                sum += value;
            }
        }
        return sum;
    }
}
