package dev.digits.jobs;

import dev.digits.model.Architectures;
import dev.digits.training.OptimizerKind;
import dev.digits.training.ScheduleKind;
import dev.digits.training.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Fills a request's missing fields and checks all of them, so that a 400 lists every problem.
 * Fine-tuning starts from a trained model, so its defaults are gentler: fewer epochs, a tenth of
 * the learning rate, no warm-up.
 */
final class JobDefaults {

    static final String MNIST = "mnist";

    private JobDefaults() {
    }

    /**
     * @param datasetExists whether an uploaded dataset id exists
     * @param modelExists whether a version or alias exists
     */
    static JobRequest complete(JobRequest request, Predicate<String> datasetExists, Predicate<String> modelExists,
                               boolean gpuTrainerPossible) {
        List<FieldProblem> problems = new ArrayList<>();
        if (request == null || request.type() == null) {
            throw new InvalidJobRequestException(List.of(new FieldProblem("type", "required: train or fine-tune")));
        }
        boolean fineTune = request.type() == JobType.FINE_TUNE;
        TrainingConfig base = TrainingConfig.defaults();
        String architecture = request.architecture() != null ? request.architecture() : base.architecture();
        if (!fineTune && !Architectures.names().contains(architecture)) {
            problems.add(new FieldProblem("architecture", "unknown '" + architecture + "'; known: "
                    + String.join(", ", Architectures.names())));
        }
        String baseModel = fineTune ? (request.baseModel() != null ? request.baseModel() : "production") : null;
        if (!fineTune && request.baseModel() != null) {
            problems.add(new FieldProblem("baseModel", "only for fine-tune jobs"));
        }
        if (fineTune && !modelExists.test(baseModel)) {
            problems.add(new FieldProblem("baseModel", "no model version or alias '" + baseModel + "'"));
        }
        String dataset = request.dataset() != null ? request.dataset() : MNIST;
        if (!dataset.equals(MNIST) && !datasetExists.test(dataset)) {
            problems.add(new FieldProblem("dataset", "no dataset '" + dataset + "' (use mnist, feedback or an uploaded id)"));
        }
        int epochs = value(request.epochs(), fineTune ? 3 : base.epochs());
        check(problems, epochs >= 1 && epochs <= 200, "epochs", "must be between 1 and 200");
        int batchSize = value(request.batchSize(), base.batchSize());
        check(problems, batchSize >= 1 && batchSize <= 1024, "batchSize", "must be between 1 and 1024");
        String optimizer = value(request.optimizer(), "adam").toLowerCase(Locale.ROOT);
        check(problems, optimizer.equals("adam") || optimizer.equals("sgd"), "optimizer", "must be adam or sgd");
        float defaultRate = (optimizer.equals("sgd") ? 0.05f : base.learningRate()) * (fineTune ? 0.1f : 1f);
        float learningRate = value(request.learningRate(), defaultRate);
        check(problems, learningRate > 0 && learningRate <= 1, "learningRate", "must be in (0, 1]");
        String schedule = value(request.schedule(), "cosine").toLowerCase(Locale.ROOT);
        check(problems, List.of("cosine", "step", "constant").contains(schedule), "schedule",
                "must be cosine, step or constant");
        float warmup = value(request.warmupEpochs(), fineTune ? 0f : Math.min(base.warmupEpochs(), epochs));
        check(problems, warmup >= 0 && warmup <= epochs, "warmupEpochs", "must be between 0 and epochs");
        float validation = value(request.validationFraction(), 0.1f);
        check(problems, validation >= 0.01f && validation <= 0.5f, "validationFraction", "must be between 0.01 and 0.5");
        boolean freeze = value(request.freezeFeatures(), false);
        check(problems, !freeze || fineTune, "freezeFeatures", "only for fine-tune jobs");
        boolean gpu = value(request.gpu(), false);
        check(problems, !gpu || gpuTrainerPossible, "gpu", "no trainer of this service has a GPU");
        if (!problems.isEmpty()) {
            throw new InvalidJobRequestException(problems);
        }
        return new JobRequest(request.type(), fineTune ? null : architecture, baseModel, dataset, epochs, batchSize,
                optimizer, learningRate, schedule, warmup, value(request.augment(), !fineTune),
                value(request.seed(), base.seed()), validation, freeze,
                value(request.promotion(), PromotionPolicy.NEVER), gpu ? Boolean.TRUE : null);
    }

    /** The runner's config for a completed request; the architecture of a fine-tune comes from its base model. */
    static TrainingConfig trainingConfig(JobRequest request, String architecture) {
        return new TrainingConfig(architecture, request.epochs(), request.batchSize(),
                OptimizerKind.valueOf(request.optimizer().toUpperCase(Locale.ROOT)), request.learningRate(), 0.9f, 0f,
                ScheduleKind.valueOf(request.schedule().toUpperCase(Locale.ROOT)), request.warmupEpochs(),
                request.augment(), request.seed(), request.freezeFeatures());
    }

    private static void check(List<FieldProblem> problems, boolean ok, String field, String message) {
        if (!ok) {
            problems.add(new FieldProblem(field, message));
        }
    }

    private static <T> T value(T given, T fallback) {
        return given != null ? given : fallback;
    }
}
