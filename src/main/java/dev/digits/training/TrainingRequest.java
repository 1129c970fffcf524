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
 */
public record TrainingRequest(TrainingConfig config, Mnist.Split data, Path checkpointFolder, Path output,
                              Path parent, Map<String, Object> lineage, Map<String, LabelledImages> extraEvaluations) {

    public TrainingRequest(TrainingConfig config, Mnist.Split data, Path checkpointFolder, Path output, Path parent,
                           Map<String, Object> lineage) {
        this(config, data, checkpointFolder, output, parent, lineage, Map.of());
    }
}
