package dev.digits.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.digits.data.LabelledImages;
import dev.digits.data.Mnist;
import dev.digits.data.MnistLoader;
import dev.digits.data.MnistSource;
import dev.digits.model.Architectures;
import dev.digits.model.InputContract;
import dev.digits.support.ProcessMemory;
import dev.digits.training.Cancellation;
import dev.digits.training.EpochSummary;
import dev.digits.training.ProgressListener;
import dev.digits.training.ScheduleKind;
import dev.digits.training.TrainingConfig;
import dev.digits.training.TrainingRequest;
import dev.digits.training.TrainingRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Training throughput of {@link TrainingRunner} beside a bare DJL loop over the same network, batch
 * size and images, interleaved in one process so that drift hits both; then the runner's native
 * memory over consecutive epochs and runs. Writes both to docs/benchmarks.md.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.TrainingBenchmark</pre>
 */
public final class TrainingBenchmark {

    private static final String COMMAND = "./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.TrainingBenchmark";
    private static final int BATCH = 128;
    private static final int IMAGES = 150 * BATCH;
    private static final int ROUNDS = 2;

    private TrainingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Mnist mnist = MnistLoader.load(MnistSource.bundled());
        Mnist.Split split = mnist.split(1_000, 3);
        LabelledImages train = split.train().first(IMAGES);
        Mnist.Split data = new Mnist.Split(train, split.validation().first(500), mnist.test().first(500));
        Path work = Files.createTempDirectory("digits-bench");

        bareLoop(train); // warm-up: JIT and native kernels
        List<double[]> rows = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            double bare = bareLoop(train);
            double runner = runnerEpoch(data, work.resolve("r" + round), false);
            double augmented = runnerEpoch(data, work.resolve("a" + round), true);
            rows.add(new double[] {bare, runner, augmented});
            System.out.printf("round %d: bare %.0f img/s, runner %.0f img/s, runner+augmentation %.0f img/s%n", round + 1,
                    bare, runner, augmented);
        }
        StringBuilder table = new StringBuilder("""
                CNN `cnn`, batch %d, Adam, %d MNIST training images per measurement (one pass), CPU, PyTorch %s.
                The bare loop feeds pre-built normalized batches straight to `Trainer`; the runner adds the DJL
                dataset pipeline, per-batch progress, cancellation checks, running accuracy and a validation pass
                over 500 images (not counted in images/s).

                | round | bare DJL loop (img/s) | TrainingRunner (img/s) | ratio | runner + augmentation (img/s) | ratio | runner epoch of 55,000 (s) |
                |---|---|---|---|---|---|---|
                """.formatted(BATCH, IMAGES, Engine.getEngine("PyTorch").getVersion()));
        for (int i = 0; i < rows.size(); i++) {
            double[] r = rows.get(i);
            table.append("| %d | %.0f | %.0f | %.2f | %.0f | %.2f | %.0f |%n".formatted(i + 1, r[0], r[1], r[1] / r[0], r[2],
                    r[2] / r[0], 55_000 / r[2]));
        }
        BenchmarkReport.write("training-throughput", "Training throughput: TrainingRunner vs a bare DJL loop", COMMAND,
                table.toString());

        BenchmarkReport.write("training-memory", "Training native memory across epochs and runs", COMMAND,
                memoryCheck(data, work));
    }

    /** Images per second of the smallest loop DJL allows: forward, loss, backward, step. */
    static double bareLoop(LabelledImages images) {
        try (Model model = Model.newInstance("bare", Device.cpu(), "PyTorch")) {
            model.setBlock(Architectures.create("cnn"));
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.001f)).build()))) {
                trainer.initialize(Architectures.inputShape(BATCH));
                float[] pixels = new float[BATCH * InputContract.PIXELS];
                float[] labels = new float[BATCH];
                long start = System.nanoTime();
                for (int b = 0; b < images.size() / BATCH; b++) {
                    for (int i = 0; i < BATCH; i++) {
                        images.copyUnit(b * BATCH + i, pixels, i * InputContract.PIXELS);
                        labels[i] = images.label(b * BATCH + i);
                    }
                    InputContract.normalize(pixels, 0, pixels.length);
                    try (NDManager batch = trainer.getManager().newSubManager()) {
                        NDList x = new NDList(batch.create(pixels, Architectures.inputShape(BATCH)));
                        NDList y = new NDList(batch.create(labels, new Shape(BATCH)));
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray loss = trainer.getLoss().evaluate(y, trainer.forward(x, y));
                            collector.backward(loss);
                        }
                        trainer.step();
                    }
                }
                return images.size() / ((System.nanoTime() - start) / 1e9);
            }
        }
    }

    static double runnerEpoch(Mnist.Split data, Path folder, boolean augment) {
        TrainingConfig config = TrainingConfig.defaults().withEpochs(1).withBatchSize(BATCH).withAugment(augment)
                .withSchedule(ScheduleKind.CONSTANT, 0);
        List<EpochSummary> epochs = new ArrayList<>();
        new TrainingRunner(Device.cpu()).run(request(config, data, folder), new ProgressListener() {
            @Override
            public void onEpoch(EpochSummary summary) {
                epochs.add(summary);
            }
        }, new Cancellation());
        return epochs.get(0).imagesPerSecond();
    }

    static String memoryCheck(Mnist.Split data, Path work) {
        StringBuilder table = new StringBuilder("""
                Five consecutive runs of the runner (3 epochs each over the same images, with augmentation, in
                one JVM). Open arrays are those the model's NDManager holds after each epoch; RSS is the process's
                resident memory after the run, after a GC, and includes the JVM heap.

                | run | open arrays after epochs 1, 2, 3 | RSS after run (MiB) | JVM heap committed (MiB) |
                |---|---|---|---|
                """);
        for (int run = 1; run <= 5; run++) {
            List<Integer> open = new ArrayList<>();
            TrainingConfig config = TrainingConfig.defaults().withEpochs(3).withBatchSize(BATCH);
            new TrainingRunner(Device.cpu()).run(request(config, data, work.resolve("m" + run)), new ProgressListener() {
                @Override
                public void onEpoch(EpochSummary summary) {
                    open.add(summary.openArrays());
                }
            }, new Cancellation());
            System.gc();
            table.append("| %d | %s | %.0f | %.0f |%n".formatted(run, open, ProcessMemory.rssMiB(),
                    Runtime.getRuntime().totalMemory() / 1048576.0));
        }
        return table.toString();
    }

    private static TrainingRequest request(TrainingConfig config, Mnist.Split data, Path folder) {
        return new TrainingRequest(config, data, folder.resolve("checkpoints"), folder.resolve("model"), null,
                Map.of("source", "benchmark"));
    }
}
