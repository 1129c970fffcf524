package dev.digits.training;

import dev.digits.model.Architectures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that decides what a training run computes. Two runs with the same config and data on
 * the same device produce the same model.
 *
 * @param warmupEpochs linear warm-up from 0 to the base rate, in (fractional) epochs
 * @param freezeFeatures train only the head; for fine-tuning
 */
public record TrainingConfig(
        String architecture,
        int epochs,
        int batchSize,
        OptimizerKind optimizer,
        float learningRate,
        float momentum,
        float weightDecay,
        ScheduleKind schedule,
        float warmupEpochs,
        boolean augment,
        long seed,
        boolean freezeFeatures) {

    public static TrainingConfig defaults() {
        return new TrainingConfig(Architectures.DEFAULT, 12, 128, OptimizerKind.ADAM, 0.002f, 0.9f, 0f,
                ScheduleKind.COSINE, 1f, true, 42L, false);
    }

    /** Every problem with the values, so a caller can report them all at once. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!Architectures.names().contains(architecture)) {
            problems.add("architecture: unknown '" + architecture + "'; known: " + String.join(", ", Architectures.names()));
        }
        if (epochs < 1 || epochs > 1000) {
            problems.add("epochs: must be between 1 and 1000");
        }
        if (batchSize < 1 || batchSize > 4096) {
            problems.add("batchSize: must be between 1 and 4096");
        }
        if (!(learningRate > 0 && learningRate <= 10)) {
            problems.add("learningRate: must be in (0, 10]");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            problems.add("momentum: must be in [0, 1)");
        }
        if (!(weightDecay >= 0 && weightDecay < 1)) {
            problems.add("weightDecay: must be in [0, 1)");
        }
        if (!(warmupEpochs >= 0 && warmupEpochs <= epochs)) {
            problems.add("warmupEpochs: must be between 0 and epochs");
        }
        return problems;
    }

    public TrainingConfig validated() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return this;
    }

    /** The hyperparameters as they are recorded in a model's lineage. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("architecture", architecture);
        map.put("epochs", epochs);
        map.put("batchSize", batchSize);
        map.put("optimizer", optimizer.name().toLowerCase());
        map.put("learningRate", learningRate);
        if (optimizer == OptimizerKind.SGD) {
            map.put("momentum", momentum);
        }
        map.put("weightDecay", weightDecay);
        map.put("schedule", schedule.name().toLowerCase());
        map.put("warmupEpochs", warmupEpochs);
        map.put("augment", augment);
        map.put("seed", seed);
        map.put("freezeFeatures", freezeFeatures);
        return map;
    }

    public TrainingConfig withArchitecture(String value) {
        return new TrainingConfig(value, epochs, batchSize, optimizer, learningRate, momentum, weightDecay, schedule,
                warmupEpochs, augment, seed, freezeFeatures);
    }

    public TrainingConfig withEpochs(int value) {
        return new TrainingConfig(architecture, value, batchSize, optimizer, learningRate, momentum, weightDecay,
                schedule, Math.min(warmupEpochs, value), augment, seed, freezeFeatures);
    }

    public TrainingConfig withBatchSize(int value) {
        return new TrainingConfig(architecture, epochs, value, optimizer, learningRate, momentum, weightDecay, schedule,
                warmupEpochs, augment, seed, freezeFeatures);
    }

    public TrainingConfig withOptimizer(OptimizerKind value, float rate) {
        return new TrainingConfig(architecture, epochs, batchSize, value, rate, momentum, weightDecay, schedule,
                warmupEpochs, augment, seed, freezeFeatures);
    }

    public TrainingConfig withSchedule(ScheduleKind value, float warmup) {
        return new TrainingConfig(architecture, epochs, batchSize, optimizer, learningRate, momentum, weightDecay,
                value, warmup, augment, seed, freezeFeatures);
    }

    public TrainingConfig withAugment(boolean value) {
        return new TrainingConfig(architecture, epochs, batchSize, optimizer, learningRate, momentum, weightDecay,
                schedule, warmupEpochs, value, seed, freezeFeatures);
    }

    public TrainingConfig withSeed(long value) {
        return new TrainingConfig(architecture, epochs, batchSize, optimizer, learningRate, momentum, weightDecay,
                schedule, warmupEpochs, augment, value, freezeFeatures);
    }

    public TrainingConfig withWeightDecay(float value) {
        return new TrainingConfig(architecture, epochs, batchSize, optimizer, learningRate, momentum, value, schedule,
                warmupEpochs, augment, seed, freezeFeatures);
    }

    public TrainingConfig withFreezeFeatures(boolean value) {
        return new TrainingConfig(architecture, epochs, batchSize, optimizer, learningRate, momentum, weightDecay,
                schedule, warmupEpochs, augment, seed, value);
    }
}
