package dev.digits.jobs;

import dev.digits.model.Evaluation;
import java.util.Map;

/**
 * What a successful job produced.
 *
 * @param evaluations the new version's scores, by image set ({@code test}, {@code mnist-test})
 * @param promoted whether it became production
 * @param promotionDecision why it was or was not promoted
 */
public record JobResult(String version, Map<String, Evaluation> evaluations, boolean promoted,
                        String promotionDecision) {
}
