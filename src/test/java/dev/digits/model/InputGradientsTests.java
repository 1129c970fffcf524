package dev.digits.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.digits.support.MnistImages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input gradients of the bundled network, with the real engine. */
class InputGradientsTests {

    @TempDir
    static Path folder;

    private static Model model;

    @BeforeAll
    static void load() throws IOException {
        for (String name : new String[] {ModelArchive.PARAMETERS, ModelArchive.METADATA}) {
            try (InputStream in = InputGradientsTests.class.getResourceAsStream("/bundled-model/" + name)) {
                Files.copy(in, folder.resolve(name));
            }
        }
        model = ModelArchive.load(folder, ModelArchive.readMetadata(folder), Device.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /**
     * Along the gradient's own direction, the logit grows at the rate of the gradient's length, as a
     * central finite difference measures it. A gradient of any other function (another class's logit,
     * another image's) would not be that steep.
     */
    @Test
    void theGradientIsThatOfTheTargetLogitAsFiniteDifferencesMeasureIt() {
        Random random = new Random(7);
        // A little noise: on the uniform background, max-pooling compares equal values, where the
        // network is not differentiable and a finite difference sees a kink, not the gradient.
        float[] image = normalized(0);
        for (int p = 0; p < image.length; p++) {
            image[p] += 0.05f * (float) random.nextGaussian();
        }
        float h = 0.01f;
        for (int target : new int[] {MnistImages.label(0), 3}) {
            float[] gradient = InputGradients.of(model, image, new int[] {target});
            double length = 0;
            for (float g : gradient) {
                length += g * g;
            }
            length = Math.sqrt(length);
            float[] plus = image.clone();
            float[] minus = image.clone();
            for (int p = 0; p < image.length; p++) {
                plus[p] += h * gradient[p] / length;
                minus[p] -= h * gradient[p] / length;
            }
            double numeric = (logits(plus)[target] - logits(minus)[target]) / (2.0 * h);
            assertThat(numeric).as("slope of logit %d along its gradient", target)
                    .isCloseTo(length, within(0.02 * length));
        }
    }

    @Test
    void eachImageOfABatchGetsTheGradientOfItsOwnTarget() {
        int n = 4;
        int[] targets = {7, 2, 1, 5};
        float[] batch = new float[n * InputContract.PIXELS];
        for (int i = 0; i < n; i++) {
            System.arraycopy(normalized(i), 0, batch, i * InputContract.PIXELS, InputContract.PIXELS);
        }
        float[] together = InputGradients.of(model, batch, targets);
        for (int i = 0; i < n; i++) {
            float[] alone = InputGradients.of(model, normalized(i), new int[] {targets[i]});
            for (int p = 0; p < InputContract.PIXELS; p++) {
                assertThat(together[i * InputContract.PIXELS + p]).isCloseTo(alone[p], within(1e-4f));
            }
        }
    }

    @Test
    void leavesTheCallingThreadsGradModeAsItWas() {
        boolean before = JniUtils.isGradMode();
        try {
            for (boolean mode : new boolean[] {false, true}) {
                JniUtils.setGradMode(mode);
                InputGradients.of(model, normalized(0), new int[] {7});
                assertThat(JniUtils.isGradMode()).isEqualTo(mode);
            }
        } finally {
            JniUtils.setGradMode(before);
        }
    }

    /**
     * An inference worker (grad mode off) keeps predicting while another thread computes gradients:
     * grad mode is per thread, and the worker's outputs never carry an autograd graph.
     */
    @Test
    void gradientsOnOneThreadLeaveGradModeAndGraphsOutOfAnother() throws Exception {
        AtomicBoolean explaining = new AtomicBoolean(true);
        CompletableFuture<Integer> explainer = CompletableFuture.supplyAsync(() -> {
            int passes = 0;
            while (explaining.get()) {
                InputGradients.of(model, normalized(passes % 10), new int[] {passes % 10});
                passes++;
            }
            return passes;
        });
        CompletableFuture<Void> worker = CompletableFuture.runAsync(() -> {
            JniUtils.setGradMode(false);
            for (int i = 0; i < 300; i++) {
                assertThat(JniUtils.isGradMode()).isFalse();
                try (NDManager scope = model.getNDManager().newSubManager()) {
                    NDArray output = forward(scope, normalized(i % 10));
                    assertThat(JniUtils.requiresGrad((PtNDArray) output)).as("worker output has a graph").isFalse();
                }
            }
        });
        worker.get(120, TimeUnit.SECONDS);
        explaining.set(false);
        assertThat(explainer.get(60, TimeUnit.SECONDS)).isPositive();
    }

    /**
     * DJL's PtGradientCollector allows one collector in the whole process; a training step holds one.
     * Input gradients do without it, so they work during a training step and leave it intact.
     */
    @Test
    void worksWhileATrainingStepHoldsAGradientCollector() throws Exception {
        try (GradientCollector trainingStep = Engine.getEngine("PyTorch").newGradientCollector()) {
            float[] gradient = CompletableFuture.supplyAsync(() ->
                    InputGradients.of(model, normalized(0), new int[] {7})).get(60, TimeUnit.SECONDS);
            assertThat(gradient).isNotEmpty();
            assertThat(JniUtils.isGradMode()).as("the training thread's grad mode").isTrue();
        }
    }

    @Test
    void loadedParametersTakeNoGradients() {
        for (int i = 0; i < 20; i++) {
            InputGradients.of(model, normalized(i), new int[] {MnistImages.label(i)});
        }
        for (Parameter parameter : model.getBlock().getParameters().values()) {
            PtNDArray array = (PtNDArray) parameter.getArray();
            assertThat(JniUtils.requiresGrad(array)).as(parameter.getName()).isFalse();
            assertThat(JniUtils.getGradient(array)).as(parameter.getName() + " .grad").isNull();
        }
    }

    private static float[] normalized(int index) {
        float[] image = new float[InputContract.PIXELS];
        MnistImages.test().copyUnit(index, image, 0);
        InputContract.normalize(image, 0, image.length);
        return image;
    }

    private static float[] logits(float[] normalized) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scope = model.getNDManager().newSubManager()) {
            return forward(scope, normalized).toFloatArray();
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private static NDArray forward(NDManager scope, float[] normalized) {
        return model.getBlock().forward(new ParameterStore(scope, false),
                new NDList(scope.create(normalized, Architectures.inputShape(1))), false).singletonOrThrow();
    }
}
