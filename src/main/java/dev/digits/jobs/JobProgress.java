package dev.digits.jobs;

/** Where a running job is, as of its latest batch. */
public record JobProgress(int epoch, int epochs, int batch, int batchesPerEpoch, double percent,
                          double imagesPerSecond, double etaSeconds, double loss, double accuracy) {
}
