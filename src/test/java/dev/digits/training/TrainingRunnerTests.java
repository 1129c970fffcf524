package dev.digits.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import dev.digits.data.LabelledImages;
import dev.digits.data.Mnist;
import dev.digits.data.MnistLoader;
import dev.digits.data.MnistSource;
import dev.digits.model.Evaluation;
import dev.digits.model.ModelArchive;
import dev.digits.model.ModelMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real training with the PyTorch engine on MNIST subsets, small enough for seconds, not minutes. */
class TrainingRunnerTests {

    private static Mnist mnist;
    private final TrainingRunner runner = new TrainingRunner(Device.cpu());

    @BeforeAll
    static void load() {
        mnist = MnistLoader.load(MnistSource.bundled());
    }

    @Test
    void learnsDigitsFromTenThousandImagesInTwoEpochs(@TempDir Path folder) throws Exception {
        Mnist.Split split = subset(10_000, 1_000, 2_000);
        // Augmentation pays off over many epochs; in two it only slows learning down.
        TrainingConfig config = TrainingConfig.defaults().withEpochs(2).withSchedule(ScheduleKind.COSINE, 0.1f)
                .withAugment(false);
        List<BatchProgress> batches = new CopyOnWriteArrayList<>();

        TrainingResult result = runner.run(request(config, split, folder), record(batches, new ArrayList<>()),
                new Cancellation());

        Evaluation test = result.metadata().evaluations().get("test");
        assertThat(test.images()).isEqualTo(2_000);
        assertThat(test.accuracy()).isGreaterThanOrEqualTo(0.97);
        assertThat(test.perClassAccuracy()).hasSize(10);
        assertThat(Arrays.stream(test.perClassAccuracy()).min().orElseThrow()).isGreaterThan(0.85);
        long confusionTotal = 0;
        for (long[] row : test.confusion()) {
            for (long count : row) {
                confusionTotal += count;
            }
        }
        assertThat(confusionTotal).isEqualTo(2_000);

        assertThat(result.history()).hasSize(2);
        assertThat(result.history().get(1).validationAccuracy()).isGreaterThan(0.95);
        assertThat(batches).hasSize(2 * 79);
        BatchProgress last = batches.get(batches.size() - 1);
        assertThat(last.epoch()).isEqualTo(2);
        assertThat(last.batch()).isEqualTo(79);
        assertThat(last.imagesPerSecond()).isPositive();
        assertThat(last.runningAccuracy()).isBetween(0.8f, 1f);

        Path saved = folder.resolve("model");
        assertThat(saved.resolve(ModelArchive.PARAMETERS)).exists();
        assertThat(ModelArchive.readMetadata(saved).sha256()).isEqualTo(ModelArchive.sha256(saved.resolve(ModelArchive.PARAMETERS)));
        assertThat(folder.resolve("checkpoints/epoch-0002/model-0000.params")).exists();
        assertThat(folder.resolve("checkpoints/epoch-0001")).doesNotExist();
    }

    @Test
    void cancelsWithinOneBatchAndResumesFromTheLastCheckpoint(@TempDir Path folder) {
        Mnist.Split split = subset(2_000, 500, 500);
        TrainingConfig config = TrainingConfig.defaults().withEpochs(3).withBatchSize(100).withSchedule(ScheduleKind.STEP, 0);
        Cancellation cancellation = new Cancellation();
        List<BatchProgress> batches = new CopyOnWriteArrayList<>();
        ProgressListener cancelInSecondEpoch = new ProgressListener() {
            @Override
            public void onBatch(BatchProgress progress) {
                batches.add(progress);
                if (progress.epoch() == 2 && progress.batch() == 5) {
                    cancellation.cancel();
                }
            }
        };

        assertThatThrownBy(() -> runner.run(request(config, split, folder), cancelInSecondEpoch, cancellation))
                .isInstanceOf(TrainingCancelledException.class);
        assertThat(batches.get(batches.size() - 1).batch()).isEqualTo(5);
        assertThat(folder.resolve("model")).doesNotExist();
        assertThat(folder.resolve("checkpoints/epoch-0001/model-0000.params")).exists();

        List<BatchProgress> resumedBatches = new CopyOnWriteArrayList<>();
        TrainingResult resumed = runner.run(request(config, split, folder), record(resumedBatches, new ArrayList<>()),
                new Cancellation());

        assertThat(resumed.resumedFromEpoch()).isEqualTo(1);
        assertThat(resumed.history()).extracting(EpochSummary::epoch).containsExactly(1, 2, 3);
        assertThat(resumedBatches.get(0).epoch()).isEqualTo(2);
        assertThat(resumed.metadata().evaluations().get("test").accuracy()).isGreaterThan(0.8);
    }

    @Test
    void aSuspendedRunSavesWhereItStoppedAndResumesThere(@TempDir Path folder) {
        Mnist.Split split = subset(2_000, 300, 300);
        TrainingConfig config = TrainingConfig.defaults().withEpochs(2).withBatchSize(100).withAugment(false);
        Cancellation suspension = new Cancellation();
        ProgressListener suspendInSecondEpoch = new ProgressListener() {
            @Override
            public void onBatch(BatchProgress progress) {
                if (progress.epoch() == 2 && progress.batch() == 7) {
                    suspension.suspend();
                }
            }
        };

        assertThatThrownBy(() -> runner.run(request(config, split, folder), suspendInSecondEpoch, suspension))
                .isInstanceOf(TrainingSuspendedException.class);
        assertThat(folder.resolve("checkpoints/epoch-0001-batch-00007/model-0000.params")).exists();
        assertThat(folder.resolve("checkpoints/epoch-0001")).doesNotExist();

        List<BatchProgress> resumed = new CopyOnWriteArrayList<>();
        TrainingResult result = runner.run(request(config, split, folder), record(resumed, new ArrayList<>()),
                new Cancellation());
        assertThat(resumed.get(0).epoch()).isEqualTo(2);
        assertThat(resumed.get(0).batch()).isEqualTo(8);
        assertThat(resumed).hasSize(13);
        assertThat(result.history()).extracting(EpochSummary::epoch).containsExactly(1, 2);
        assertThat(result.metadata().evaluations().get("test").accuracy()).isGreaterThan(0.85);
    }

    @Test
    void aSeedMakesARunRepeatable(@TempDir Path folder) {
        Mnist.Split split = subset(1_000, 200, 500);
        TrainingConfig config = TrainingConfig.defaults().withEpochs(1).withBatchSize(50).withSeed(7);

        TrainingResult first = runner.run(request(config, split, folder.resolve("a")), ProgressListener.NONE, new Cancellation());
        TrainingResult second = runner.run(request(config, split, folder.resolve("b")), ProgressListener.NONE, new Cancellation());

        assertThat(second.history().get(0).trainLoss()).isCloseTo(first.history().get(0).trainLoss(), within(1e-5));
        assertThat(second.metadata().evaluations().get("test").loss())
                .isCloseTo(first.metadata().evaluations().get("test").loss(), within(1e-5));
    }

    @Test
    void nativeArraysDoNotAccumulateAcrossEpochs(@TempDir Path folder) {
        Mnist.Split split = subset(1_000, 200, 200);
        TrainingConfig config = TrainingConfig.defaults().withEpochs(4).withBatchSize(50);
        List<EpochSummary> epochs = new ArrayList<>();

        runner.run(request(config, split, folder), record(new ArrayList<>(), epochs), new Cancellation());

        // Parameters, gradients and optimizer state are created in the first epoch, then reused.
        assertThat(epochs).extracting(EpochSummary::openArrays).allMatch(n -> n.equals(epochs.get(0).openArrays()));
    }

    @Test
    void rejectsAnInvalidConfigListingEveryProblem(@TempDir Path folder) {
        TrainingConfig bad = new TrainingConfig("vgg", 0, 0, OptimizerKind.SGD, -1, 1.5f, 0, ScheduleKind.COSINE, 2,
                false, 1, false);
        assertThatThrownBy(() -> runner.run(request(bad, subset(100, 10, 10), folder), ProgressListener.NONE,
                new Cancellation()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("architecture").hasMessageContaining("epochs").hasMessageContaining("batchSize")
                .hasMessageContaining("learningRate").hasMessageContaining("momentum");
    }

    static Mnist.Split subset(int train, int validation, int test) {
        Mnist.Split split = mnist.split(validation, 1);
        return new Mnist.Split(split.train().first(train), split.validation(), mnist.test().first(test));
    }

    @Test
    void fitsCalibrationOnHeldOutDataOnlyAndLearnsToAbstainOnNegatives(@TempDir Path folder) {
        Mnist.Split digits = subset(3_000, 600, 500);
        Mnist.Split split = OutlierExposure.withNegatives(digits, 5);
        TrainingConfig config = TrainingConfig.defaults().withEpochs(2).withAugment(false);
        LabelledImages renders = OutlierExposure.heldOutRealDigits(digits.validation(), digits.validation().first(0), 5);
        TrainingRequest first = new TrainingRequest(config, split, folder.resolve("a-checkpoints"), folder.resolve("a"),
                null, Map.of(), Map.of(), renders, 0.01);
        // The same run with the test images' labels scrambled: nothing fitted may change.
        LabelledImages test = split.test();
        byte[] scrambled = test.labels().clone();
        for (int i = 0; i < scrambled.length; i++) {
            scrambled[i] = (byte) ((scrambled[i] + 1 + i % 9) % 10);
        }
        Mnist.Split otherTest = new Mnist.Split(split.train(), split.validation(),
                new LabelledImages(test.pixels(), scrambled));
        TrainingRequest second = new TrainingRequest(config, otherTest, folder.resolve("b-checkpoints"),
                folder.resolve("b"), null, Map.of(), Map.of(), renders, 0.01);

        ModelMetadata a = runner.run(first, ProgressListener.NONE, new Cancellation()).metadata();
        ModelMetadata b = runner.run(second, ProgressListener.NONE, new Cancellation()).metadata();

        assertThat(a.calibration()).isEqualTo(b.calibration());
        assertThat(a.evaluations().get("test").accuracy()).isGreaterThan(0.9);
        assertThat(b.evaluations().get("test").accuracy()).isLessThan(0.2);
        assertThat(a.calibration().heldOutImages()).isEqualTo(digits.validation().size() + renders.size());
        assertThat(a.calibration().heldOutFalseRejection()).isLessThanOrEqualTo(0.01);
        assertThat(a.lineage()).containsEntry("negatives", split.train().size() - digits.train().size());
    }

    private static TrainingRequest request(TrainingConfig config, Mnist.Split split, Path folder) {
        return new TrainingRequest(config, split, folder.resolve("checkpoints"), folder.resolve("model"), null,
                Map.of("source", "test"));
    }

    private static ProgressListener record(List<BatchProgress> batches, List<EpochSummary> epochs) {
        return new ProgressListener() {
            @Override
            public void onBatch(BatchProgress progress) {
                batches.add(progress);
            }

            @Override
            public void onEpoch(EpochSummary summary) {
                epochs.add(summary);
            }
        };
    }
}
