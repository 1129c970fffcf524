package dev.digits.training;

/** Thrown out of {@link TrainingRunner#run} after a suspension saved a checkpoint to resume from. */
public class TrainingSuspendedException extends RuntimeException {

    public TrainingSuspendedException(int epoch, int batch) {
        super("training suspended in epoch " + (epoch + 1) + " after batch " + batch + "; a checkpoint was saved");
    }
}
