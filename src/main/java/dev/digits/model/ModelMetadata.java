package dev.digits.model;

import java.time.Instant;
import java.util.Map;

/**
 * The {@code model.json} beside every saved parameter file: enough to rebuild the network, feed it
 * the right input, trust the file, and know where it came from.
 *
 * @param version the registry version, or null outside the registry
 * @param evaluations keyed by image set, e.g. {@code mnist-test}, {@code validation}
 * @param sha256 of {@code model-0000.params}
 * @param lineage source ({@code bundled}, {@code job}, {@code import}), parent version, job id,
 *                dataset and hyperparameters, as known
 * @param calibration temperature and rejection threshold; absent in files from before abstention
 */
public record ModelMetadata(
        int formatVersion,
        String version,
        String architecture,
        long parameterCount,
        Normalization normalization,
        Map<String, Evaluation> evaluations,
        Instant createdAt,
        String sha256,
        Map<String, Object> lineage,
        Calibration calibration) {

    public static final int FORMAT_VERSION = 1;

    /** The input normalization the parameters were trained with. */
    public record Normalization(int[] inputShape, float mean, float std) {

        public static Normalization current() {
            return new Normalization(new int[] {InputContract.CHANNELS, InputContract.SIZE, InputContract.SIZE},
                    InputContract.MEAN, InputContract.STD);
        }
    }

    /**
     * How this version turns logits into answers.
     *
     * @param temperature logits are divided by it before the softmax (Guo et al. 2017); 1 = as trained
     * @param threshold answers whose top calibrated probability is below it abstain as not-a-digit; 0 = never
     * @param score what the threshold applies to: {@code max-softmax}
     * @param targetFalseRejection the share of real held-out digits the threshold was allowed to reject
     * @param heldOutFalseRejection the share it did reject, on {@code heldOutImages} real digits
     */
    public record Calibration(double temperature, double threshold, String score, Double targetFalseRejection,
                              Double heldOutFalseRejection, Integer heldOutImages) {

        public static final String MAX_SOFTMAX = "max-softmax";

        /** For versions made before calibration existed: the raw softmax, never refusing. */
        public static final Calibration NONE = new Calibration(1, 0, MAX_SOFTMAX, null, null, null);

        public Calibration {
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("temperature must be a positive number, not " + temperature);
            }
            if (!(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException("threshold must be in [0, 1], not " + threshold);
            }
        }
    }

    /** The calibration to serve with: {@link Calibration#NONE} for files that have none. */
    public Calibration calibrationOrNone() {
        return calibration == null ? Calibration.NONE : calibration;
    }

    public ModelMetadata withVersion(String newVersion) {
        return new ModelMetadata(formatVersion, newVersion, architecture, parameterCount, normalization, evaluations,
                createdAt, sha256, lineage, calibration);
    }

    public ModelMetadata withSha256(String newSha256) {
        return new ModelMetadata(formatVersion, version, architecture, parameterCount, normalization, evaluations,
                createdAt, newSha256, lineage, calibration);
    }

    public ModelMetadata withLineage(Map<String, Object> newLineage) {
        return new ModelMetadata(formatVersion, version, architecture, parameterCount, normalization, evaluations,
                createdAt, sha256, newLineage, calibration);
    }

    public ModelMetadata withCalibration(Calibration newCalibration) {
        return new ModelMetadata(formatVersion, version, architecture, parameterCount, normalization, evaluations,
                createdAt, sha256, lineage, newCalibration);
    }

    public ModelMetadata withEvaluations(Map<String, Evaluation> newEvaluations) {
        return new ModelMetadata(formatVersion, version, architecture, parameterCount, normalization, newEvaluations,
                createdAt, sha256, lineage, calibration);
    }
}
