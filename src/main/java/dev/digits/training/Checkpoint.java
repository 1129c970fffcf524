package dev.digits.training;

import java.util.List;

/**
 * What is saved beside the parameters after each epoch, enough to continue the run.
 *
 * @param epoch number of finished epochs
 */
record Checkpoint(int epoch, TrainingConfig config, List<EpochSummary> history) {
}
