package dev.digits.inference;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.digits.model.Calibrations;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.digits.model.InputContract;
import dev.digits.model.ModelMetadata;

/**
 * One image's answer.
 *
 * @param digit the answer, or null when the prediction abstains
 * @param confidence the calibrated probability of the most likely digit (also when abstaining)
 * @param probabilities calibrated softmax over the ten digits, index = digit
 * @param reason why there is no digit, or null
 * @param logits the network's raw outputs, for protocols that return them
 * @param mostLikely the most likely digit, whether or not the answer abstains
 * @param explanation what the network saw and which pixels decided it, when asked for
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Prediction(
        @Schema(description = "the digit, or null when the answer abstains", nullable = true)
        @JsonInclude(JsonInclude.Include.ALWAYS) Integer digit,
        @Schema(description = "calibrated probability of the most likely digit") double confidence,
        @Schema(description = "calibrated probabilities of the digits 0-9") double[] probabilities,
        String modelVersion,
        @Schema(description = "why there is no digit: no-ink or not-a-digit; absent when there is one",
                allowableValues = {"no-ink", "not-a-digit"}) Abstention reason,
        @JsonIgnore float[] logits,
        @JsonIgnore int mostLikely,
        @JsonIgnore Explanation explanation) {

    /**
     * Scores one image from the network's logits: softmax at the version's temperature, and
     * not-a-digit when the top probability is below the version's threshold.
     */
    static Prediction fromLogits(float[] logits, int offset, String modelVersion, ModelMetadata.Calibration calibration) {
        int classes = InputContract.CLASSES;
        float[] own = new float[classes];
        System.arraycopy(logits, offset, own, 0, classes);
        double[] probabilities = Calibrations.softmax(own, calibration.temperature());
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (probabilities[c] > probabilities[best]) {
                best = c;
            }
        }
        boolean rejected = probabilities[best] < calibration.threshold();
        return new Prediction(rejected ? null : best, probabilities[best], probabilities, modelVersion,
                rejected ? Abstention.NOT_A_DIGIT : null, own, best, null);
    }

    /** The same scores, abstaining for {@code why}. */
    public Prediction abstaining(Abstention why) {
        return new Prediction(null, confidence, probabilities, modelVersion, why, logits, mostLikely, explanation);
    }

    /** The raw most likely digit, for callers who asked not to be refused ({@code reject=false}). */
    public Prediction unrefused() {
        return new Prediction(mostLikely, confidence, probabilities, modelVersion, null, logits, mostLikely, explanation);
    }

    public Prediction explained(Explanation why) {
        return new Prediction(digit, confidence, probabilities, modelVersion, reason, logits, mostLikely, why);
    }

    /** The 28×28 image the network saw, as rows of values in [0, 1]; only with {@code explain=true}. */
    @JsonProperty("input")
    public float[][] input() {
        return explanation == null ? null : explanation.inputRows();
    }

    /** Per-pixel attributions for the answered (or most likely) digit; only with {@code explain=true}. */
    @JsonProperty("attributions")
    public Explanation.Attributions attributions() {
        return explanation == null ? null : explanation.attributions();
    }
}
