package dev.digits.training;

import dev.digits.model.ModelMetadata;
import java.util.List;

/** A finished run: the saved model's metadata (with its test evaluation) and the per-epoch history. */
public record TrainingResult(ModelMetadata metadata, List<EpochSummary> history, double seconds, int resumedFromEpoch) {
}
