package dev.digits.inference;

import dev.digits.storage.filesystem.FilesystemModels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.digits.DigitsProperties;
import dev.digits.problems.OverloadedException;
import dev.digits.registry.ModelRegistry;
import dev.digits.registry.RegistryProperties;
import dev.digits.registry.UnknownModelException;
import dev.digits.support.MnistImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

class BatchingPredictorTests {

    @TempDir
    Path home;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ModelRegistry registry;
    private BatchingPredictor predictor;

    @AfterEach
    void stop() {
        if (predictor != null) {
            predictor.stop();
        }
        registry.destroy();
    }

    @Test
    void answersEveryImageOfConcurrentRequestsInOrder() throws Exception {
        start(2, 1024, true);
        List<CompletableFuture<List<Prediction>>> requests = new ArrayList<>();
        for (int r = 0; r < 16; r++) {
            int first = r * 3;
            requests.add(CompletableFuture.supplyAsync(() -> predictor.predict(
                    List.of(image(first), image(first + 1), image(first + 2)), null)));
        }
        int correct = 0;
        for (int r = 0; r < requests.size(); r++) {
            List<Prediction> predictions = requests.get(r).get(30, TimeUnit.SECONDS);
            assertThat(predictions).hasSize(3);
            for (int i = 0; i < 3; i++) {
                if (predictions.get(i).digit() == MnistImages.label(r * 3 + i)) {
                    correct++;
                }
                assertThat(predictions.get(i).modelVersion()).isEqualTo("1");
            }
        }
        assertThat(correct).isGreaterThanOrEqualTo(46);
        assertThat(meters.get("digits.inference.batch.size").summary().totalAmount()).isEqualTo(48);
        assertThat(meters.get("digits.inference.batch.size").summary().max()).isLessThanOrEqualTo(8);
    }

    @Test
    void refusesAtOnceWhenTheQueueIsFull() {
        start(0, 4, true); // no worker drains the queue, so it stays full
        CompletableFuture<List<Prediction>> waiting = CompletableFuture.supplyAsync(() ->
                predictor.predict(List.of(image(0), image(1), image(2), image(3)), null));
        await(() -> predictor.queueDepth() == 4);

        assertThatThrownBy(() -> predictor.predict(List.of(image(4)), null))
                .isInstanceOf(OverloadedException.class)
                .hasMessageContaining("queue is full");
        assertThat(meters.get("digits.predict.rejected").counter().count()).isEqualTo(1);
        waiting.cancel(true);
    }

    @Test
    void failsFastForAnUnknownModel() {
        start(1, 16, true);
        assertThatThrownBy(() -> predictor.predict(List.of(image(0)), "12")).isInstanceOf(UnknownModelException.class);
        assertThat(predictor.queueDepth()).isZero();
    }

    @Test
    void runsOnTheCallersThreadWithBatchingOff() {
        start(0, 1, false);
        List<Prediction> predictions = predictor.predict(List.of(image(0), image(1)), "production");
        assertThat(predictions).extracting(Prediction::digit).containsExactly(MnistImages.label(0), MnistImages.label(1));
    }

    private void start(int workers, int capacity, boolean batching) {
        registry = new ModelRegistry(new FilesystemModels(home.resolve("models")),
                new RegistryProperties(Duration.ofHours(1), 2, DataSize.ofMegabytes(64)), Device.cpu(), meters);
        registry.afterPropertiesSet();
        predictor = new BatchingPredictor(registry, new InferenceProperties(batching, 8, Duration.ofMillis(5), capacity,
                workers, 1, InferenceProperties.Precision.FP32, Duration.ofSeconds(20), 64, DataSize.ofMegabytes(10), 25_000_000,
                16, 1, 16), Device.cpu(), meters);
        predictor.start();
    }

    private static float[] image(int index) {
        float[] unit = new float[784];
        MnistImages.test().copyUnit(index, unit, 0);
        return unit;
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 10 s");
            }
            Thread.onSpinWait();
        }
    }
}
