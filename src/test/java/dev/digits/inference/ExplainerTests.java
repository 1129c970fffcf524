package dev.digits.inference;

import dev.digits.registry.StagedModel;
import dev.digits.storage.filesystem.FilesystemModels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import dev.digits.DigitsProperties;
import dev.digits.model.Architectures;
import dev.digits.model.InputContract;
import dev.digits.model.ModelArchive;
import dev.digits.model.ModelMetadata;
import dev.digits.problems.OverloadedException;
import dev.digits.registry.ModelRegistry;
import dev.digits.registry.RegistryProperties;
import dev.digits.registry.UnknownModelException;
import dev.digits.support.MnistImages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Explanations of the bundled model, with the real engine and registry. */
class ExplainerTests {

    @TempDir
    Path home;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ModelRegistry registry;
    private BatchingPredictor predictor;
    private Explainer explainer;

    @AfterEach
    void stop() throws InterruptedException {
        if (explainer != null) {
            explainer.destroy();
        }
        if (predictor != null) {
            predictor.stop();
        }
        registry.destroy();
    }

    /**
     * The faithfulness test: over 200 MNIST test digits, blanking the most-attributed pixels
     * lowers the predicted class's probability far more than blanking as many random ink pixels
     * (pixels above 0), averaged over 5 random draws per digit. Measured in two sizes:
     * <ul>
     * <li>10 % of the digit's ink (14 pixels on average): the most-attributed tenth takes 0.36 of the
     *     probability on average, a random tenth 0.02;</li>
     * <li>10 % of the image, 78 pixels: more than half of an average digit's 140 ink pixels, so
     *     random blanking ruins the digit too (0.90 against 0.50), and the margin shows best in how
     *     often the answer changes (90 % against 46 %).</li>
     * </ul>
     */
    @Test
    void blankingTheMostAttributedPixelsHurtsFarMoreThanBlankingRandomInk() {
        start(false, 1, 16);
        List<float[]> images = IntStream.range(0, 200).mapToObj(ExplainerTests::image).toList();
        List<Prediction> predictions = predictor.predict(images, null);
        List<Explanation> explanations = explainer.explain(images, predictions);

        Blanking tenthOfInk = blank(images, predictions, explanations, ink -> Math.round(ink / 10f));
        Blanking tenthOfImage = blank(images, predictions, explanations, ink -> InputContract.PIXELS / 10);
        System.out.println("faithfulness over 200 MNIST test digits, 10 % of the ink: " + tenthOfInk);
        System.out.println("faithfulness over 200 MNIST test digits, 10 % of the image: " + tenthOfImage);

        assertThat(tenthOfInk.topDrop()).isGreaterThan(0.25);
        assertThat(tenthOfInk.topDrop()).isGreaterThanOrEqualTo(5 * tenthOfInk.randomDrop());
        // 78 pixels are about half of a digit's ink: random blanking breaks most digits too (and a
        // network trained to abstain is unsure of broken digits), so only the order is asked for here.
        assertThat(tenthOfImage.topDrop()).isGreaterThan(0.8);
        assertThat(tenthOfImage.topDrop()).isGreaterThan(tenthOfImage.randomDrop());
        assertThat(tenthOfImage.topChanged()).isGreaterThanOrEqualTo(tenthOfImage.randomChanged() + 0.2);
    }

    /** Mean drop of the predicted class's probability, and the share of answers that changed. */
    record Blanking(double topDrop, double randomDrop, double topChanged, double randomChanged) {

        @Override
        public String toString() {
            return "probability drop %.4f (most-attributed) vs %.4f (random ink, x%.1f); answer changed %.1f %% vs %.1f %%"
                    .formatted(topDrop, randomDrop, topDrop / randomDrop, 100 * topChanged, 100 * randomChanged);
        }
    }

    /** Blanks {@code count(ink pixels)} pixels of each image (at most all of its ink), top-attributed or random. */
    private Blanking blank(List<float[]> images, List<Prediction> predictions, List<Explanation> explanations,
                           IntUnaryOperator count) {
        int draws = 5;
        Random random = new Random(42);
        List<float[]> blankedTop = new ArrayList<>();
        List<float[]> blankedRandom = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            float[] unit = images.get(i);
            List<Integer> ink = IntStream.range(0, InputContract.PIXELS).filter(p -> unit[p] > 0).boxed().toList();
            int k = Math.min(count.applyAsInt(ink.size()), ink.size());
            float[] attributions = flat(explanations.get(i).attributions().values());
            List<Integer> byAttribution = IntStream.range(0, InputContract.PIXELS).boxed()
                    .sorted((a, b) -> Float.compare(attributions[b], attributions[a])).toList();
            blankedTop.add(blanked(unit, byAttribution.subList(0, k)));
            for (int d = 0; d < draws; d++) {
                List<Integer> shuffled = new ArrayList<>(ink);
                Collections.shuffle(shuffled, random);
                blankedRandom.add(blanked(unit, shuffled.subList(0, k)));
            }
        }
        List<Prediction> afterTop = predictor.predict(blankedTop, null);
        List<Prediction> afterRandom = predictor.predict(blankedRandom, null);
        double topDrop = 0;
        double randomDrop = 0;
        double topChanged = 0;
        double randomChanged = 0;
        for (int i = 0; i < images.size(); i++) {
            int predicted = predictions.get(i).mostLikely();
            double before = predictions.get(i).probabilities()[predicted];
            topDrop += before - afterTop.get(i).probabilities()[predicted];
            topChanged += afterTop.get(i).mostLikely() != predicted ? 1 : 0;
            for (int d = 0; d < draws; d++) {
                Prediction after = afterRandom.get(i * draws + d);
                randomDrop += (before - after.probabilities()[predicted]) / draws;
                randomChanged += after.mostLikely() != predicted ? 1.0 / draws : 0;
            }
        }
        int n = images.size();
        return new Blanking(topDrop / n, randomDrop / n, topChanged / n, randomChanged / n);
    }

    /**
     * Completeness: an image's attributions add up to its logit minus the logit of the black image,
     * up to the error of a 16-step average.
     */
    @Test
    void attributionsAddUpToTheLogitsChangeFromBlack() {
        start(false, 1, 16);
        List<float[]> images = IntStream.range(0, 50).mapToObj(ExplainerTests::image).toList();
        List<Prediction> predictions = predictor.predict(images, null);
        float[] black = predictor.predict(List.of(new float[InputContract.PIXELS]), null).get(0).logits();
        List<Explanation> explanations = explainer.explain(images, predictions);
        double worst = 0;
        double total = 0;
        for (int i = 0; i < images.size(); i++) {
            int target = predictions.get(i).mostLikely();
            double change = predictions.get(i).logits()[target] - black[target];
            double error = Math.abs(sum(explanations.get(i)) - change) / Math.abs(change);
            worst = Math.max(worst, error);
            total += error;
        }
        // Measured: 1.4 % on average, 5.8 % at worst (the ReLU network's gradient jumps along the path).
        System.out.printf("completeness at 16 steps over 50 digits: mean relative error %.4f, worst %.4f%n",
                total / images.size(), worst);
        assertThat(total / images.size()).isLessThan(0.04);
        assertThat(worst).isLessThan(0.15);
    }

    @Test
    void explainsABatchAsEachImageAloneAndOnTheVersionAsked() throws IOException {
        start(false, 1, 16);
        String untrained = registerUntrainedLenet();
        List<float[]> images = IntStream.range(0, 5).mapToObj(ExplainerTests::image).toList();
        List<Integer> targets = List.of(7, 2, 1, 0, 4);

        List<Explanation> batch = explainer.explain(images, targets, "production");
        assertThat(batch).hasSize(5);
        for (int i = 0; i < images.size(); i++) {
            Explanation alone = explainer.explain(List.of(images.get(i)), List.of(targets.get(i)), null).get(0);
            assertThat(batch.get(i).attributions().digit()).isEqualTo(targets.get(i));
            assertThat(batch.get(i).input()).containsExactly(images.get(i));
            assertClose(batch.get(i), alone);
        }

        List<Prediction> onUntrained = predictor.predict(images, untrained);
        float[] black = predictor.predict(List.of(new float[InputContract.PIXELS]), untrained).get(0).logits();
        List<Explanation> other = explainer.explain(images, onUntrained);
        for (int i = 0; i < images.size(); i++) {
            int target = onUntrained.get(i).mostLikely();
            double change = onUntrained.get(i).logits()[target] - black[target];
            assertThat(other.get(i).attributions().digit()).isEqualTo(target);
            assertThat(sum(other.get(i))).as("completeness on version %s", untrained)
                    .isCloseTo(change, within(0.05 * Math.abs(change) + 1e-3));
            assertClose(other.get(i), explainer.explain(List.of(images.get(i)), List.of(target), untrained).get(0));
        }
        assertThat(flat(other.get(0).attributions().values()))
                .isNotEqualTo(flat(explainer.explain(images.subList(0, 1), List.of(other.get(0).attributions().digit()),
                        null).get(0).attributions().values()));
    }

    @Test
    void explanationsAndPlainPredictionsRunTogether() throws Exception {
        start(true, 1, 16);
        List<float[]> images = IntStream.range(0, 40).mapToObj(ExplainerTests::image).toList();
        List<Prediction> expected = predictor.predict(images, null);
        List<Explanation> expectedExplanations = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            expectedExplanations.add(explainer.explain(List.of(images.get(i)), List.of(expected.get(i).mostLikely()),
                    null).get(0));
        }

        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.add(CompletableFuture.runAsync(() -> {
                for (int r = 0; r < 100; r++) {
                    int i = (client * 7 + r) % images.size();
                    Prediction got = predictor.predict(List.of(images.get(i)), null).get(0);
                    assertThat(got.mostLikely()).isEqualTo(expected.get(i).mostLikely());
                    assertThat(got.probabilities()).containsExactly(expected.get(i).probabilities(), within(1e-4));
                }
            }, runner()));
        }
        for (int c = 0; c < 2; c++) {
            int client = c;
            clients.add(CompletableFuture.runAsync(() -> {
                for (int r = 0; r < 6; r++) {
                    int i = (client * 3 + r) % expectedExplanations.size();
                    Explanation got = explainer.explain(List.of(images.get(i)), List.of(expected.get(i).mostLikely()),
                            null).get(0);
                    assertClose(got, expectedExplanations.get(i));
                }
            }, runner()));
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        assertThat(meters.get("digits.inference.explain.duration").timer().count()).isEqualTo(8 + 12);
    }

    /**
     * PyTorch hands the thread count last set on any thread to every thread that starts using it
     * afterwards (measured: after one thread set 1, a new thread got 1, older ones kept 2), so the
     * explanation threads must not set it, or they would limit inference threads started later.
     */
    @Test
    void leavesThePyTorchThreadsOfLaterThreadsAlone() throws Exception {
        start(false, 1, 16);
        int before = threadsOfAFreshThread();
        explainer.explain(List.of(image(0)), List.of(7), null);
        assertThat(threadsOfAFreshThread()).isEqualTo(before);
    }

    private static int threadsOfAFreshThread() throws Exception {
        return CompletableFuture.supplyAsync(JniUtils::getNumThreads, runner()).get(30, TimeUnit.SECONDS);
    }

    @Test
    void refusesAtOnceWhenTheExplanationQueueIsFull() throws Exception {
        start(false, 1, 1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        explainer.submit(() -> {
            running.countDown();
            return release.await(30, TimeUnit.SECONDS);
        });
        running.await(10, TimeUnit.SECONDS);
        explainer.submit(() -> true); // waits in the queue's only place
        try {
            assertThatThrownBy(() -> explainer.explain(List.of(image(0)), List.of(7), null))
                    .isInstanceOf(OverloadedException.class)
                    .hasMessageContaining("explanation queue is full");
            assertThat(meters.get("digits.inference.explain.rejected").counter().count()).isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void failsFastForAnUnknownModelOrAMismatchedRequest() {
        start(false, 1, 16);
        assertThatThrownBy(() -> explainer.explain(List.of(image(0)), List.of(7), "12"))
                .isInstanceOf(UnknownModelException.class);
        assertThatThrownBy(() -> explainer.explain(List.of(image(0)), List.of(7, 1), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> explainer.explain(List.of(image(0)), List.of(10), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void start(boolean batching, int explainThreads, int explainQueue) {
        registry = new ModelRegistry(new FilesystemModels(home.resolve("models")),
                new RegistryProperties(Duration.ofHours(1), 2, DataSize.ofMegabytes(64)), Device.cpu(), meters);
        registry.afterPropertiesSet();
        InferenceProperties properties = new InferenceProperties(batching, 8, Duration.ofMillis(2), 1024, 2, 1,
                InferenceProperties.Precision.FP32,
                Duration.ofSeconds(120), 64, DataSize.ofMegabytes(10), 25_000_000, 16, explainThreads, explainQueue);
        predictor = new BatchingPredictor(registry, properties, Device.cpu(), meters);
        predictor.start();
        explainer = new Explainer(registry, properties, meters);
    }

    /** A LeNet-5 with random weights as a new version: its explanations cannot be the bundled model's. */
    private String registerUntrainedLenet() throws IOException {
        StagedModel staging = registry.stage();
        try (Model model = Model.newInstance(ModelArchive.NAME, Device.cpu(), "PyTorch")) {
            model.setBlock(Architectures.create("lenet5"));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, Architectures.inputShape(1));
            ModelArchive.save(model, new ModelMetadata(ModelMetadata.FORMAT_VERSION, null, "lenet5", 0,
                    ModelMetadata.Normalization.current(), Map.of(), Instant.parse("2026-12-01T00:00:00Z"), null,
                    Map.of("source", "test"), null), staging.folder());
        }
        return registry.register(staging);
    }

    /** Threads of their own: the common pool has one thread on a two-core machine. */
    private static java.util.concurrent.Executor runner() {
        return task -> new Thread(task).start();
    }

    private static void assertClose(Explanation actual, Explanation expected) {
        assertThat(actual.attributions().digit()).isEqualTo(expected.attributions().digit());
        assertThat(flat(actual.attributions().values())).containsExactly(flat(expected.attributions().values()),
                within(1e-4f));
    }

    private static float[] image(int index) {
        float[] unit = new float[InputContract.PIXELS];
        MnistImages.test().copyUnit(index, unit, 0);
        return unit;
    }

    private static float[] blanked(float[] unit, List<Integer> pixels) {
        float[] copy = unit.clone();
        pixels.forEach(p -> copy[p] = 0);
        return copy;
    }

    static float[] flat(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int y = 0; y < rows.length; y++) {
            System.arraycopy(rows[y], 0, flat, y * rows[y].length, rows[y].length);
        }
        return flat;
    }

    static double sum(Explanation explanation) {
        double sum = 0;
        for (float[] row : explanation.attributions().values()) {
            for (float value : row) {
                sum += value;
            }
        }
        return sum;
    }
}
