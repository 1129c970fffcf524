package dev.digits.training;

import dev.digits.storage.AtomicFiles;
import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.digits.data.LabelledImages;
import dev.digits.data.Mnist;
import dev.digits.data.MnistLoader;
import dev.digits.data.MnistSource;
import dev.digits.model.Evaluation;
import dev.digits.model.ModelArchive;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a model on MNIST from the command line, without the server. This is how the bundled model
 * was made (see the README for the exact command):
 *
 * <pre>./mvnw -q compile exec:java -Dexec.mainClass=dev.digits.training.TrainCommand -Dexec.args="--out DIR"</pre>
 *
 * Options: {@code --architecture --epochs --batch-size --optimizer --learning-rate --schedule
 * --warmup-epochs --augment --seed --weight-decay --train-limit --validation-size --checkpoints --out
 * --negatives --false-rejection-target --parent}. {@code --parent DIR} starts from a saved model
 * (outlier-exposure fine-tuning of an existing network, as Hendrycks et al. also do).
 */
public final class TrainCommand {

    private TrainCommand() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        Map<String, String> options = parse(args);
        TrainingConfig defaults = TrainingConfig.defaults();
        TrainingConfig config = defaults
                .withArchitecture(options.getOrDefault("architecture", defaults.architecture()))
                .withEpochs(Integer.parseInt(options.getOrDefault("epochs", String.valueOf(defaults.epochs()))))
                .withBatchSize(Integer.parseInt(options.getOrDefault("batch-size", String.valueOf(defaults.batchSize()))))
                .withOptimizer(OptimizerKind.valueOf(options.getOrDefault("optimizer", "adam").toUpperCase(Locale.ROOT)),
                        Float.parseFloat(options.getOrDefault("learning-rate", String.valueOf(defaults.learningRate()))))
                .withSchedule(ScheduleKind.valueOf(options.getOrDefault("schedule", "cosine").toUpperCase(Locale.ROOT)),
                        Float.parseFloat(options.getOrDefault("warmup-epochs", String.valueOf(defaults.warmupEpochs()))))
                .withAugment(Boolean.parseBoolean(options.getOrDefault("augment", "true")))
                .withSeed(Long.parseLong(options.getOrDefault("seed", String.valueOf(defaults.seed()))))
                .withWeightDecay(Float.parseFloat(options.getOrDefault("weight-decay", "0")));
        Path out = Path.of(options.getOrDefault("out", "target/trained-model"));
        int validationSize = Integer.parseInt(options.getOrDefault("validation-size", "5000"));

        Mnist mnist = MnistLoader.load(MnistSource.bundled());
        Mnist.Split split = mnist.split(validationSize, config.seed());
        if (options.containsKey("train-limit")) {
            split = new Mnist.Split(split.train().first(Integer.parseInt(options.get("train-limit"))),
                    split.validation(), split.test());
        }
        Mnist.Split digits = split;
        if (Boolean.parseBoolean(options.getOrDefault("negatives", "true"))) {
            split = OutlierExposure.withNegatives(split, config.seed());
        }
        LabelledImages heldOutReal = OutlierExposure.heldOutRealDigits(digits.validation(),
                digits.validation().first(0), config.seed());
        double target = Double.parseDouble(options.getOrDefault("false-rejection-target",
                String.valueOf(TrainingRequest.DEFAULT_FALSE_REJECTION_TARGET)));
        Path parent = options.containsKey("parent") ? Path.of(options.get("parent")) : null;
        Device device = Engine.getEngine("PyTorch").defaultDevice();
        System.out.printf("training %s on %s, %d train / %d validation / %d test images, config %s%n",
                config.architecture(), device, split.train().size(), split.validation().size(), split.test().size(),
                config.asMap());
        Path checkpoints = Path.of(options.getOrDefault("checkpoints", "target/train-checkpoints"));
        TrainingRequest request = new TrainingRequest(config, split, checkpoints, out, parent,
                Map.of("source", "bundled", "dataset", "mnist"), Map.of(), heldOutReal, target);
        TrainingResult result = new TrainingRunner(device).run(request, new ProgressListener() {
            @Override
            public void onBatch(BatchProgress p) {
                if (p.batch() % 100 == 0) {
                    System.out.printf("epoch %d/%d batch %d/%d loss %.4f acc %.4f %.0f img/s lr %.5f%n", p.epoch(),
                            p.epochs(), p.batch(), p.batchesPerEpoch(), p.loss(), p.runningAccuracy(),
                            p.imagesPerSecond(), p.learningRate());
                }
            }

            @Override
            public void onEpoch(EpochSummary s) {
                System.out.printf("epoch %d: train loss %.4f acc %.4f | validation loss %.4f acc %.4f | %.1f s, %.0f img/s%n",
                        s.epoch(), s.trainLoss(), s.trainAccuracy(), s.validationLoss(), s.validationAccuracy(),
                        s.seconds(), s.imagesPerSecond());
            }
        }, new Cancellation());
        AtomicFiles.deleteRecursively(checkpoints);
        Evaluation test = result.metadata().evaluations().get("test");
        System.out.printf("test accuracy %.4f on %d images, ECE %.4f; %s; saved to %s in %.0f s%n", test.accuracy(),
                test.images(), test.expectedCalibrationError(), result.metadata().calibration(), out, result.seconds());
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
