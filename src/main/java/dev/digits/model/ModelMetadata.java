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
        Map<String, Object> lineage) {

    public static final int FORMAT_VERSION = 1;

    /** The input normalization the parameters were trained with. */
    public record Normalization(int[] inputShape, float mean, float std) {

        public static Normalization current() {
            return new Normalization(new int[] {InputContract.CHANNELS, InputContract.SIZE, InputContract.SIZE},
                    InputContract.MEAN, InputContract.STD);
        }
    }

    public ModelMetadata withVersion(String newVersion) {
        return new ModelMetadata(formatVersion, newVersion, architecture, parameterCount, normalization, evaluations,
                createdAt, sha256, lineage);
    }

    public ModelMetadata withSha256(String newSha256) {
        return new ModelMetadata(formatVersion, version, architecture, parameterCount, normalization, evaluations,
                createdAt, newSha256, lineage);
    }

    public ModelMetadata withLineage(Map<String, Object> newLineage) {
        return new ModelMetadata(formatVersion, version, architecture, parameterCount, normalization, evaluations,
                createdAt, sha256, newLineage);
    }
}
