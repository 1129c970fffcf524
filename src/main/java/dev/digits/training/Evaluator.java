package dev.digits.training;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.digits.data.LabelledImages;
import dev.digits.model.Calibrations;
import dev.digits.model.Evaluation;
import dev.digits.model.InputContract;
import java.util.Arrays;
import java.util.function.Function;

/** Scores a network on labelled images: accuracy, mean loss, per-class accuracy and confusion matrix. */
public final class Evaluator {

    private static final int BATCH = 500;

    private Evaluator() {
    }

    /** Evaluates a model that is not being trained (inference mode: dropout off, batch-norm statistics fixed). */
    public static Evaluation evaluate(Model model, LabelledImages images, double temperature) {
        return summarize(images, logits(model, images), temperature);
    }

    /** The logits of every image, {@code [n × 10]}, in inference mode. */
    public static float[] logits(Model model, LabelledImages images) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            ParameterStore parameters = new ParameterStore(manager, false);
            return logits(manager, input -> model.getBlock().forward(parameters, input, false), images);
        }
    }

    /**
     * @param forward runs the network in inference mode on a normalized {@code [n, 1, 28, 28]} batch
     */
    static float[] logits(NDManager parent, Function<NDList, NDList> forward, LabelledImages images) {
        int classes = InputContract.CLASSES;
        float[] all = new float[images.size() * classes];
        float[] batch = new float[BATCH * InputContract.PIXELS];
        for (int start = 0; start < images.size(); start += BATCH) {
            int n = Math.min(BATCH, images.size() - start);
            for (int i = 0; i < n; i++) {
                images.copyUnit(start + i, batch, i * InputContract.PIXELS);
            }
            InputContract.normalize(batch, 0, n * InputContract.PIXELS);
            try (NDManager manager = parent.newSubManager()) {
                float[] input = n == BATCH ? batch : Arrays.copyOf(batch, n * InputContract.PIXELS);
                float[] logits = forward.apply(new NDList(manager.create(input, new Shape(n, 1, InputContract.SIZE,
                        InputContract.SIZE)))).singletonOrThrow().toFloatArray();
                System.arraycopy(logits, 0, all, start * classes, n * classes);
            }
        }
        return all;
    }

    /**
     * Scores precomputed logits against the images' labels. Images labelled not-a-digit are left out:
     * they have no right answer to score.
     */
    public static Evaluation summarize(LabelledImages images, float[] logits, double temperature) {
        int classes = InputContract.CLASSES;
        long[][] confusion = new long[classes][classes];
        double lossSum = 0;
        CalibrationError calibration = new CalibrationError();
        for (int i = 0; i < images.size(); i++) {
            int label = images.label(i);
            if (label >= classes) {
                continue;
            }
            int predicted = argMax(logits, i * classes);
            lossSum += crossEntropy(logits, i * classes, label);
            confusion[label][predicted]++;
            double confidence = Calibrations.softmax(logits, i * classes, classes, temperature)[predicted];
            calibration.add(confidence, predicted == label);
        }
        return summarize(confusion, lossSum, calibration.value());
    }

    static Evaluation summarize(long[][] confusion, double lossSum, double expectedCalibrationError) {
        int classes = confusion.length;
        long total = 0;
        long correct = 0;
        double[] perClass = new double[classes];
        for (int actual = 0; actual < classes; actual++) {
            long row = 0;
            for (long count : confusion[actual]) {
                row += count;
            }
            total += row;
            correct += confusion[actual][actual];
            perClass[actual] = row == 0 ? Double.NaN : confusion[actual][actual] / (double) row;
        }
        return new Evaluation((int) total, total == 0 ? 0 : correct / (double) total,
                total == 0 ? 0 : lossSum / total, perClass, confusion, expectedCalibrationError);
    }

    /** The class with the largest of the {@link InputContract#CLASSES} values from {@code offset}. */
    public static int argMax(float[] values, int offset) {
        int best = 0;
        for (int c = 1; c < InputContract.CLASSES; c++) {
            if (values[offset + c] > values[offset + best]) {
                best = c;
            }
        }
        return best;
    }

    /** −log softmax(logits)[label], computed stably. */
    static double crossEntropy(float[] logits, int offset, int label) {
        float max = logits[offset + argMax(logits, offset)];
        double sum = 0;
        for (int c = 0; c < InputContract.CLASSES; c++) {
            sum += Math.exp(logits[offset + c] - max);
        }
        return Math.log(sum) - (logits[offset + label] - max);
    }
}
