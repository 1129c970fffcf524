package dev.digits.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import dev.digits.support.MnistImages;
import dev.digits.training.Evaluator;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BatchNormFoldingTests {

    private static final Path BUNDLED = Path.of("src/main/resources/bundled-model");

    @Test
    void theFoldedBundledModelGivesTheSameLogitsAndDigitsWithoutBatchNorm() throws Exception {
        int images = 500;
        float[] input = MnistImages.normalizedTest(images);
        try (Model original = ModelArchive.load(BUNDLED, ModelArchive.readMetadata(BUNDLED), Device.cpu());
             Model folded = ModelArchive.load(BUNDLED, ModelArchive.readMetadata(BUNDLED), Device.cpu())) {
            folded.setBlock(BatchNormFolding.fold(folded.getBlock(), folded.getNDManager()));

            float[] expected = logits(original.getBlock(), input, images);
            float[] actual = logits(folded.getBlock(), input, images);

            assertThat(actual).containsExactly(expected, within(1e-3f));
            for (int i = 0; i < images; i++) {
                int offset = i * InputContract.CLASSES;
                assertThat(Evaluator.argMax(actual, offset)).as("digit of test image %d", i)
                        .isEqualTo(Evaluator.argMax(expected, offset));
            }
            assertThat(batchNorms(folded.getBlock())).isZero();
            assertThat(batchNorms(Architectures.features(folded.getBlock()))).isZero();
        }
    }

    /** Bias, stride and a non-default epsilon, with statistics far from 0 and 1, fold exactly as well. */
    @Test
    void foldsAConvolutionWithBiasStrideAndAnyBatchNormSettings() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block network = new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(2, 2))
                            .optPadding(new Shape(1, 1)).setFilters(6).optBias(true).build())
                    .add(BatchNorm.builder().optEpsilon(1e-2f).build())
                    .add(Activation.reluBlock());
            Shape inputShape = new Shape(4, 3, 9, 9);
            network.initialize(manager, DataType.FLOAT32, inputShape);
            network.getParameters().forEach(parameter -> {
                NDArray array = parameter.getValue().getArray();
                NDArray value = manager.randomUniform(0.2f, 3f, array.getShape());
                array.set(FloatBuffer.wrap(value.toFloatArray()));
            });
            NDList input = new NDList(manager.randomNormal(inputShape));
            ParameterStore parameters = new ParameterStore(manager, false);
            float[] expected = network.forward(parameters, input, false).singletonOrThrow().toFloatArray();

            Block folded = BatchNormFolding.fold(network, manager);

            assertThat(batchNorms(folded)).isZero();
            assertThat(folded.forward(parameters, input, false).singletonOrThrow().toFloatArray())
                    .containsExactly(expected, within(1e-4f));
        }
    }

    @Test
    void leavesANetworkWithoutBatchNormAsItComputes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block network = Architectures.create("lenet5");
            network.initialize(manager, DataType.FLOAT32, Architectures.inputShape(2));
            NDList input = new NDList(manager.randomUniform(0, 1, Architectures.inputShape(2)));
            ParameterStore parameters = new ParameterStore(manager, false);
            float[] expected = network.forward(parameters, input, false).singletonOrThrow().toFloatArray();

            Block folded = BatchNormFolding.fold(network, manager);

            assertThat(folded.forward(parameters, input, false).singletonOrThrow().toFloatArray())
                    .containsExactly(expected);
        }
    }

    private static float[] logits(Block network, float[] input, int images) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList batch = new NDList(manager.create(input, Architectures.inputShape(images)));
            return network.forward(new ParameterStore(manager, false), batch, false).singletonOrThrow().toFloatArray();
        }
    }


    private static long batchNorms(Block block) {
        return (block instanceof BatchNorm ? 1 : 0)
                + block.getChildren().values().stream().mapToLong(BatchNormFoldingTests::batchNorms).sum();
    }
}
