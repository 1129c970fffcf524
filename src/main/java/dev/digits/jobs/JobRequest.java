package dev.digits.jobs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code POST /jobs} asks for. Every field but {@code type} is optional; {@link JobDefaults}
 * fills the rest, with lower learning rates for fine-tuning.
 *
 * @param architecture for {@code train}: a network name (default {@code cnn})
 * @param baseModel for {@code fine-tune}: a version or alias (default {@code production})
 * @param dataset {@code mnist}, an uploaded dataset id, or {@code feedback}
 * @param validationFraction share of the dataset's training images held out for validation
 * @param freezeFeatures fine-tune only the fully connected head
 * @param gpu the job must train on a GPU: only a trainer that has one takes it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRequest(
        JobType type,
        String architecture,
        String baseModel,
        String dataset,
        Integer epochs,
        Integer batchSize,
        String optimizer,
        Float learningRate,
        String schedule,
        Float warmupEpochs,
        Boolean augment,
        Long seed,
        Float validationFraction,
        Boolean freezeFeatures,
        PromotionPolicy promotion,
        Boolean gpu) {

    /** Whether only a trainer with a GPU may take the job. */
    @JsonIgnore
    public boolean needsGpu() {
        return Boolean.TRUE.equals(gpu);
    }
}
