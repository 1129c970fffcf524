package dev.digits.training;

/** Receives a run's progress on the training thread; keep it quick. */
public interface ProgressListener {

    ProgressListener NONE = new ProgressListener() {
    };

    default void onBatch(BatchProgress progress) {
    }

    default void onEpoch(EpochSummary summary) {
    }
}
