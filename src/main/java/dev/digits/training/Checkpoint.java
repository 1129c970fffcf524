package dev.digits.training;

import java.util.List;

/**
 * What is saved beside the parameters after each epoch (or at a suspension), enough to continue.
 *
 * @param epoch number of finished epochs
 * @param batch batches of the next epoch already trained; 0 at an epoch boundary
 */
record Checkpoint(int epoch, TrainingConfig config, List<EpochSummary> history, int batch) {

    Checkpoint(int epoch, TrainingConfig config, List<EpochSummary> history) {
        this(epoch, config, history, 0);
    }
}
