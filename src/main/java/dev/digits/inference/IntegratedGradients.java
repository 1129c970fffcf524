package dev.digits.inference;

import dev.digits.model.InputContract;
import java.util.ArrayList;
import java.util.List;

/**
 * Integrated gradients (Sundararajan, Taly and Yan, ICML 2017): a pixel's attribution is its
 * distance from a baseline times the gradient of the explained output averaged along the straight
 * path from the baseline to the image. The attributions of an image add up to the output's change
 * from the baseline to the image (the completeness axiom), up to the error of the average.
 *
 * <p>The baseline is the all-black image, which the network sees as "nothing drawn", so the
 * attributions say which ink (and which missing ink) made the digit. The average is a midpoint
 * Riemann sum over {@code steps} points, α = (k + ½) / steps: every point of every image goes
 * into one batch, run through one forward and one backward pass (a request of more than
 * {@link #MAX_POINTS_PER_PASS} points takes several).
 *
 * <p>The explained output is the target class's logit, not its probability. The softmax saturates:
 * for a confident answer the probability is flat along most of the path, its gradients vanish and
 * the attributions collapse onto the few pixels where it switches; and a probability also rises
 * when other classes' logits fall, which credits pixels for what they are not. The logit is the
 * network's own evidence for the class, and it does not depend on the version's temperature.
 */
final class IntegratedGradients {

    static final String METHOD = "integrated-gradients";

    /**
     * Path points in one forward and backward pass. The autograd graph keeps the activations of every
     * point, about 0.8 MB for the {@code cnn}, so a batch of images is explained in passes of this
     * many points (8 images at 16 steps, about 100 MB) rather than in one graph of 800 MB for 64.
     */
    static final int MAX_POINTS_PER_PASS = 128;

    /** What the network gives: d logit[targets[i]] / d input[i] for normalized images side by side. */
    @FunctionalInterface
    interface Gradients {
        float[] of(float[] normalized, int[] targets);
    }

    private static final float BASELINE = InputContract.normalize(0f);

    private final int steps;

    IntegratedGradients(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, not " + steps);
        }
        this.steps = steps;
    }

    /**
     * @param units images of 784 values in [0, 1]
     * @param targets per image, the class to explain
     */
    List<Explanation> explain(List<float[]> units, List<Integer> targets, Gradients gradients) {
        if (units.size() != targets.size()) {
            throw new IllegalArgumentException(units.size() + " images but " + targets.size() + " targets");
        }
        int imagesPerPass = Math.max(1, MAX_POINTS_PER_PASS / steps);
        List<Explanation> explanations = new ArrayList<>(units.size());
        for (int from = 0; from < units.size(); from += imagesPerPass) {
            int to = Math.min(units.size(), from + imagesPerPass);
            explanations.addAll(pass(units.subList(from, to), targets.subList(from, to), gradients));
        }
        return explanations;
    }

    private List<Explanation> pass(List<float[]> units, List<Integer> targets, Gradients gradients) {
        int n = units.size();
        int pixels = InputContract.PIXELS;
        float[][] distances = new float[n][];
        float[] path = new float[n * steps * pixels];
        int[] pathTargets = new int[n * steps];
        for (int i = 0; i < n; i++) {
            distances[i] = distanceFromBaseline(units.get(i));
            for (int k = 0; k < steps; k++) {
                float alpha = (k + 0.5f) / steps;
                int offset = (i * steps + k) * pixels;
                for (int p = 0; p < pixels; p++) {
                    path[offset + p] = BASELINE + alpha * distances[i][p];
                }
                pathTargets[i * steps + k] = targets.get(i);
            }
        }
        float[] pathGradients = gradients.of(path, pathTargets);
        List<Explanation> explanations = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // Distance and gradient both in normalized units: their product is the same as in [0, 1]
            // units (the 1/std of one cancels the std of the other), so the attributions add up to
            // the logit's change.
            float[] attributions = new float[pixels];
            for (int k = 0; k < steps; k++) {
                int offset = (i * steps + k) * pixels;
                for (int p = 0; p < pixels; p++) {
                    attributions[p] += pathGradients[offset + p];
                }
            }
            for (int p = 0; p < pixels; p++) {
                attributions[p] *= distances[i][p] / steps;
            }
            explanations.add(new Explanation(units.get(i).clone(), new Explanation.Attributions(METHOD, steps,
                    targets.get(i), Explanation.rows(attributions))));
        }
        return explanations;
    }

    /** The image minus the baseline, normalized as the network sees it. */
    private static float[] distanceFromBaseline(float[] unit) {
        if (unit.length != InputContract.PIXELS) {
            throw new IllegalArgumentException("an image has " + InputContract.PIXELS + " values, not " + unit.length);
        }
        float[] distance = new float[InputContract.PIXELS];
        for (int p = 0; p < distance.length; p++) {
            distance[p] = InputContract.normalize(unit[p]) - BASELINE;
        }
        return distance;
    }
}
