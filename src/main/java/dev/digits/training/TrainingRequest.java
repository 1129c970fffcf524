package dev.digits.training;

import dev.digits.data.LabelledImages;
import dev.digits.data.Mnist;
import java.nio.file.Path;
import java.util.Map;

/**
 * One run: what to train, on which data, where to keep checkpoints and where to save the result.
 *
 * @param data training, validation and test images
 * @param checkpointFolder per-epoch checkpoints; a run finding one there resumes from it
 * @param output the folder to save the finished model as; must not exist yet
 * @param parent a saved model folder to start from (fine-tuning), or null to start from scratch
 * @param lineage recorded in the saved model's metadata, beside the hyperparameters
 * @param extraEvaluations image sets the finished model is also scored on, by name (e.g. {@code mnist-test})
 * @param heldOutRealDigits real digits beside {@code data.validation()} that the rejection threshold
 *     must accept: client-style renders, the MNIST validation digits of a fine-tune
 * @param falseRejectionTarget the share of held-out real digits the threshold may reject
 */
public record TrainingRequest(TrainingConfig config, Mnist.Split data, Path checkpointFolder, Path output,
                              Path parent, Map<String, Object> lineage, Map<String, LabelledImages> extraEvaluations,
                              LabelledImages heldOutRealDigits, double falseRejectionTarget) {

    /** Held-out digits may be rejected at this rate at most; the rest of the 1 % is margin for unseen digits. */
    public static final double DEFAULT_FALSE_REJECTION_TARGET = 0.005;

    public TrainingRequest(TrainingConfig config, Mnist.Split data, Path checkpointFolder, Path output, Path parent,
                           Map<String, Object> lineage, Map<String, LabelledImages> extraEvaluations) {
        this(config, data, checkpointFolder, output, parent, lineage, extraEvaluations,
                new LabelledImages(new byte[0], new byte[0]), DEFAULT_FALSE_REJECTION_TARGET);
    }

    public TrainingRequest(TrainingConfig config, Mnist.Split data, Path checkpointFolder, Path output, Path parent,
                           Map<String, Object> lineage) {
        this(config, data, checkpointFolder, output, parent, lineage, Map.of());
    }
}
