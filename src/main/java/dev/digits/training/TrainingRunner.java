package dev.digits.training;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.translate.TranslateException;
import dev.digits.data.DigitAugmentation;
import dev.digits.data.ImageDataset;
import dev.digits.data.LabelledImages;
import dev.digits.data.NormalizeTransform;
import dev.digits.data.ShuffleSampler;
import dev.digits.model.Architectures;
import dev.digits.model.Evaluation;
import dev.digits.model.InputContract;
import dev.digits.model.ModelArchive;
import dev.digits.model.ModelMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Trains one network with DJL's {@link Trainer}: softmax cross-entropy, Adam or SGD with momentum,
 * warm-up then cosine or step decay, optional augmentation; validation and a checkpoint after each
 * epoch, and a final evaluation on the test images. Plain Java, so it runs the same in a job, a
 * command-line tool, a test or a benchmark.
 */
public final class TrainingRunner {

    /** A negative counts as much as a digit: enough, at about one negative in six images, to learn to abstain. */
    static final float OUTLIER_WEIGHT = 1f;

    private final Device device;

    public TrainingRunner(Device device) {
        this.device = device;
    }

    public TrainingResult run(TrainingRequest request, ProgressListener listener, Cancellation cancellation) {
        long started = System.nanoTime();
        TrainingConfig config = request.config().validated();
        Checkpoints checkpoints = new Checkpoints(request.checkpointFolder());
        try (Model model = Model.newInstance(ModelArchive.NAME, device, "PyTorch")) {
            Engine.getEngine("PyTorch").setRandomSeed((int) config.seed());
            String architecture = config.architecture();
            Map<String, Object> lineage = new LinkedHashMap<>(request.lineage());
            if (request.parent() != null) {
                ModelMetadata parent = ModelArchive.readMetadata(request.parent());
                architecture = parent.architecture();
                lineage.putIfAbsent("parentVersion", parent.version());
            }
            Block block = Architectures.create(architecture);
            model.setBlock(block);

            Optional<Checkpoint> resume = checkpoints.latest();
            List<EpochSummary> history = new ArrayList<>();
            int firstEpoch = 0;
            int firstBatch = 0;
            if (resume.isPresent()) {
                checkpoints.loadInto(model, resume.get());
                history.addAll(resume.get().history());
                firstEpoch = resume.get().epoch();
                firstBatch = resume.get().batch();
            } else if (request.parent() != null) {
                ModelArchive.readMetadata(request.parent());
                model.load(request.parent(), ModelArchive.NAME, Map.of("epoch", "0"));
            }

            LabelledImages train = request.data().train();
            int batchesPerEpoch = (train.size() + config.batchSize() - 1) / config.batchSize();
            int totalSteps = batchesPerEpoch * config.epochs();
            int warmupSteps = Math.round(config.warmupEpochs() * batchesPerEpoch);
            LearningRateSchedule schedule = new LearningRateSchedule(config.schedule(), config.learningRate(),
                    warmupSteps, totalSteps, firstEpoch * batchesPerEpoch + firstBatch);

            ImageDataset.Builder trainSet = ImageDataset.builder(train)
                    .setSampling(new ShuffleSampler(config.seed(), config.batchSize(), firstEpoch, firstBatch));
            if (config.augment()) {
                trainSet.addTransform(new DigitAugmentation(2f, 12f, 0.10f, config.seed() * 7919 + firstEpoch));
            }
            ImageDataset dataset = trainSet.addTransform(new NormalizeTransform()).build();

            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new OutlierExposureLoss(OUTLIER_WEIGHT))
                    .optOptimizer(optimizer(config, schedule))
                    // He initialization: the right scale for ReLU networks.
                    .optInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                            XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT)
                    .optDevices(new Device[] {device}))) {
                trainer.initialize(Architectures.inputShape(config.batchSize()));
                // PtModel.newTrainer unfreezes every parameter, so freezing must come after it.
                if (config.freezeFeatures()) {
                    Architectures.features(block).freezeParameters(true);
                }
                for (int epoch = firstEpoch; epoch < config.epochs(); epoch++) {
                    int finished = epoch;
                    IntConsumer suspendAt = batch -> saveCheckpoint(checkpoints, model,
                            new Checkpoint(finished, config, List.copyOf(history), batch));
                    EpochSummary summary = trainEpoch(trainer, dataset, request.data().validation(), epoch,
                            epoch == firstEpoch ? firstBatch : 0, config, batchesPerEpoch, schedule, listener,
                            cancellation, suspendAt);
                    history.add(summary);
                    checkpoints.save(model, new Checkpoint(epoch + 1, config, List.copyOf(history)));
                    listener.onEpoch(summary);
                }
            }
            cancellation.throwIfCancelled();
            Calibrator.Fit calibration = calibrate(model, request);
            double temperature = calibration.calibration().temperature();
            float[] testLogits = Evaluator.logits(model, request.data().test());
            Evaluation test = Evaluator.summarize(request.data().test(), testLogits, temperature);
            Map<String, Evaluation> evaluations = new LinkedHashMap<>();
            evaluations.put("test", test);
            request.extraEvaluations().forEach((name, images) ->
                    evaluations.put(name, Evaluator.evaluate(model, images, temperature)));
            // ECE before and after the temperature, so its effect is on record beside each version.
            lineage.put("calibrationError", Map.of(
                    "validation", Map.of("before", calibration.validationEceBefore(),
                            "after", calibration.validationEceAfter()),
                    "test", Map.of("before", Evaluator.summarize(request.data().test(), testLogits, 1)
                            .expectedCalibrationError(), "after", test.expectedCalibrationError())));
            if (!history.isEmpty()) {
                lineage.put("validationAccuracy", history.get(history.size() - 1).validationAccuracy());
            }
            lineage.put("hyperparameters", config.asMap());
            int negatives = train.size() - train.filter(label -> label < LabelledImages.NOT_A_DIGIT).size();
            lineage.put("trainImages", train.size() - negatives);
            lineage.put("negatives", negatives);
            double seconds = (System.nanoTime() - started) / 1e9;
            lineage.put("trainingSeconds", Math.round(seconds));
            ModelMetadata metadata = new ModelMetadata(ModelMetadata.FORMAT_VERSION, null, architecture,
                    Architectures.parameterCount(block), ModelMetadata.Normalization.current(), evaluations,
                    Instant.now(), null, lineage, calibration.calibration());
            // The checkpoints stay until the caller has registered the model: a crash in between resumes, not restarts.
            ModelMetadata saved = ModelArchive.save(model, metadata, request.output());
            return new TrainingResult(saved, List.copyOf(history), seconds, firstEpoch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("cannot load the parent model: " + e.getMessage(), e);
        }
    }

    /**
     * Temperature and threshold from held-out data only: the validation digits and the extra real
     * digits of the request, never the test images.
     */
    private static Calibrator.Fit calibrate(Model model, TrainingRequest request) {
        LabelledImages validation = request.data().validation().filter(label -> label < LabelledImages.NOT_A_DIGIT);
        // The validation digits come first among the real ones, so their logits are computed once.
        float[] realLogits = Evaluator.logits(model, validation.concat(request.heldOutRealDigits()));
        float[] validationLogits = Arrays.copyOf(realLogits, validation.size() * InputContract.CLASSES);
        return Calibrator.fit(validation, validationLogits, realLogits, request.falseRejectionTarget());
    }

    private static void saveCheckpoint(Checkpoints checkpoints, Model model, Checkpoint checkpoint) {
        try {
            checkpoints.save(model, checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the checkpoint of a suspended run", e);
        }
    }

    /**
     * @param firstBatch batches of this epoch a suspended run already trained; the sampler skips their images
     * @param suspendAt saves a checkpoint after the given number of batches, when the run is suspended
     */
    private EpochSummary trainEpoch(Trainer trainer, ImageDataset dataset, LabelledImages validation, int epoch,
                                    int firstBatch, TrainingConfig config, int batchesPerEpoch,
                                    LearningRateSchedule schedule, ProgressListener listener,
                                    Cancellation cancellation, IntConsumer suspendAt) throws IOException {
        long start = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        long images = 0;
        int batchIndex = firstBatch;
        try {
            for (Batch batch : trainer.iterateDataset(dataset)) {
                try (batch) {
                    if (cancellation.isSuspended()) {
                        suspendAt.accept(batchIndex);
                        throw new TrainingSuspendedException(epoch, batchIndex);
                    }
                    cancellation.throwIfCancelled();
                    NDList data = batch.getData();
                    NDList labels = batch.getLabels();
                    float loss;
                    float[] logits;
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDList predictions = trainer.forward(data, labels);
                        NDArray lossValue = trainer.getLoss().evaluate(labels, predictions);
                        collector.backward(lossValue);
                        loss = lossValue.getFloat();
                        logits = predictions.singletonOrThrow().toFloatArray();
                    }
                    trainer.step();
                    float[] truth = labels.singletonOrThrow().toFloatArray();
                    for (int i = 0; i < truth.length; i++) {
                        if ((int) truth[i] == LabelledImages.NOT_A_DIGIT) {
                            continue; // a negative has no right digit to count
                        }
                        if (Evaluator.argMax(logits, i * 10) == (int) truth[i]) {
                            correct++;
                        }
                        seen++;
                    }
                    images += truth.length;
                    lossSum += loss * truth.length;
                    batchIndex++;
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    listener.onBatch(new BatchProgress(epoch + 1, config.epochs(), batchIndex, batchesPerEpoch, truth.length, loss,
                            correct / (float) Math.max(1, seen), (float) (images / elapsed),
                            schedule.getNewValue(epoch * batchesPerEpoch + batchIndex - schedule.offsetSteps())));
                }
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("cannot prepare a training batch: " + e.getMessage(), e);
        }
        cancellation.throwIfCancelled();
        double seconds = (System.nanoTime() - start) / 1e9;
        Evaluation validated = validation.size() == 0 ? null
                : Evaluator.summarize(validation, Evaluator.logits(trainer.getManager(), trainer::evaluate, validation), 1);
        return new EpochSummary(epoch + 1, lossSum / images, correct / (double) Math.max(1, seen),
                validated == null ? Double.NaN : validated.loss(), validated == null ? Double.NaN : validated.accuracy(),
                seconds, images / seconds, trainer.getModel().getNDManager().getManagedArrays().size());
    }

    private static Optimizer optimizer(TrainingConfig config, LearningRateSchedule schedule) {
        return switch (config.optimizer()) {
            case ADAM -> Optimizer.adam()
                    .optLearningRateTracker(schedule)
                    .optWeightDecays(config.weightDecay())
                    .optClipGrad(5f)
                    .build();
            case SGD -> Optimizer.sgd()
                    .setLearningRateTracker(schedule)
                    .optMomentum(config.momentum())
                    .optWeightDecays(config.weightDecay())
                    .optClipGrad(5f)
                    .build();
        };
    }
}
