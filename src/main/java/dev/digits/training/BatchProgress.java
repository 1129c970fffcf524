package dev.digits.training;

/**
 * Where a run is after one optimizer step.
 *
 * @param epoch 1-based
 * @param batch 1-based within the epoch
 * @param images images in this batch
 * @param loss the mean loss of this batch
 * @param runningAccuracy accuracy over this epoch's batches so far
 */
public record BatchProgress(int epoch, int epochs, int batch, int batchesPerEpoch, int images, float loss,
                            float runningAccuracy, float imagesPerSecond, float learningRate) {
}
