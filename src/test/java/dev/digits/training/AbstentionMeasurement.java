package dev.digits.training;

import ai.djl.Device;
import ai.djl.Model;
import dev.digits.data.LabelledImages;
import dev.digits.data.Mnist;
import dev.digits.data.MnistLoader;
import dev.digits.data.MnistSource;
import dev.digits.model.ModelArchive;
import dev.digits.model.ModelMetadata;
import dev.digits.training.negatives.NegativeFamily;
import dev.digits.training.negatives.Negatives;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How well a saved model abstains, measured on images it never saw: MNIST test digits, client-style
 * renders of test digits, and negatives of every family drawn with a seed no training run uses.
 */
public record AbstentionMeasurement(ModelMetadata.Calibration calibration, double mnistFalseRejection,
                                    double clientFalseRejection, int clientImages,
                                    Map<NegativeFamily, Double> rejectedPerFamily, int negativesPerFamily,
                                    double auroc, double eceRaw, double eceCalibrated, double accuracy) {

    /** Differs from every seed training uses (those are the runs' seeds, 42 by default). */
    static final long HELD_OUT_SEED = 917_531L;

    public static AbstentionMeasurement of(Path modelFolder, int clientRenders, int negativesPerFamily)
            throws IOException {
        ModelMetadata metadata = ModelArchive.readMetadata(modelFolder);
        ModelMetadata.Calibration calibration = metadata.calibrationOrNone();
        Mnist mnist = MnistLoader.load(MnistSource.bundled());
        LabelledImages test = mnist.test();
        LabelledImages clients = HeldOutDigits.clientStyle(test, clientRenders, HELD_OUT_SEED);
        Negatives negatives = new Negatives(mnist.train());
        try (Model model = ModelArchive.load(modelFolder, metadata, Device.cpu())) {
            float[] testLogits = Evaluator.logits(model, test);
            double[] testScores = Calibrator.scores(testLogits, calibration.temperature());
            double[] clientScores = Calibrator.scores(Evaluator.logits(model, clients), calibration.temperature());
            Map<NegativeFamily, Double> rejected = new LinkedHashMap<>();
            double[] allNegatives = new double[0];
            for (NegativeFamily family : NegativeFamily.values()) {
                double[] scores = Calibrator.scores(Evaluator.logits(model,
                        negatives.units(family, negativesPerFamily, HELD_OUT_SEED)), calibration.temperature());
                rejected.put(family, below(scores, calibration.threshold()));
                allNegatives = concat(allNegatives, scores);
            }
            double[] real = concat(testScores, clientScores);
            return new AbstentionMeasurement(calibration, below(testScores, calibration.threshold()),
                    below(clientScores, calibration.threshold()), clients.size(), rejected, negativesPerFamily,
                    auroc(real, allNegatives), Evaluator.summarize(test, testLogits, 1).expectedCalibrationError(),
                    Evaluator.summarize(test, testLogits, calibration.temperature()).expectedCalibrationError(),
                    Evaluator.summarize(test, testLogits, calibration.temperature()).accuracy());
        }
    }

    /** Rejected share of all negatives together. */
    public double negativesRejected() {
        return rejectedPerFamily.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private static double below(double[] scores, double threshold) {
        return Arrays.stream(scores).filter(s -> s < threshold).count() / (double) scores.length;
    }

    /** The probability that a real digit scores above a negative (ties count half): the area under the ROC curve. */
    static double auroc(double[] positives, double[] negatives) {
        double[] sorted = negatives.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double p : positives) {
            int below = lowerBound(sorted, p);
            int notAbove = upperBound(sorted, p);
            sum += below + 0.5 * (notAbove - below);
        }
        return sum / ((double) positives.length * negatives.length);
    }

    private static int lowerBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Prints the measurement of a model folder: {@code exec:java -Dexec.args=DIR}. */
    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        AbstentionMeasurement m = of(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 1000,
                args.length > 2 ? Integer.parseInt(args[2]) : 200);
        System.out.println(m);
    }
}
