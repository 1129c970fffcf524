package dev.digits.training;

import dev.digits.data.LabelledImages;
import dev.digits.data.Mnist;
import dev.digits.training.negatives.Negatives;

/**
 * The one recipe every training run uses to learn to abstain, so that the bundled model, train
 * jobs and fine-tunes all compute their threshold the same way: negatives mixed into the training
 * images, and client-style renders of held-out digits for the threshold to accept.
 */
public final class OutlierExposure {

    /** Negatives per training image: one in six of what the network sees is no digit. */
    static final double NEGATIVES_PER_IMAGE = 0.2;
    private static final int MAX_NEGATIVES = 12_000;
    /** Enough renders for a stable 1 % quantile on big runs, few enough to keep small jobs quick. */
    private static final int MAX_CLIENT_RENDERS = 2_000;

    private OutlierExposure() {
    }

    /** The split with negatives added to its training images; validation and test stay digits only. */
    public static Mnist.Split withNegatives(Mnist.Split digits, long seed) {
        int count = (int) Math.min(MAX_NEGATIVES, Math.round(digits.train().size() * NEGATIVES_PER_IMAGE));
        if (count == 0) {
            return digits;
        }
        // Crops are cut from the run's own training digits, never from its validation or test images.
        LabelledImages negatives = new Negatives(digits.train()).units(count, seed);
        return new Mnist.Split(digits.train().concat(negatives), digits.validation(), digits.test());
    }

    /**
     * Real digits beside the validation split that the threshold must accept: the validation
     * digits rendered the way clients send them, plus {@code more} (e.g. MNIST validation digits
     * for a fine-tune on another dataset).
     */
    public static LabelledImages heldOutRealDigits(LabelledImages validation, LabelledImages more, long seed) {
        return HeldOutDigits.clientStyle(validation, MAX_CLIENT_RENDERS, seed).concat(more);
    }
}
