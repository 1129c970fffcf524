package dev.digits.training;

/** Thrown out of {@link TrainingRunner#run} when its {@link Cancellation} was triggered. */
public class TrainingCancelledException extends RuntimeException {

    public TrainingCancelledException() {
        super("training was cancelled");
    }
}
