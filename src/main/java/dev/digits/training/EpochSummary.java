package dev.digits.training;

/**
 * One finished epoch: its training loss and accuracy, and the validation scores after it.
 *
 * @param openArrays NDArrays the model's manager holds after the epoch; flat from epoch to epoch
 *                   unless something leaks
 */
public record EpochSummary(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                           double validationAccuracy, double seconds, double imagesPerSecond, int openArrays) {
}
