package dev.digits.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MaxPool2x2Tests {

    /** Even and odd sizes (odd ones drop their last row and column), as the network's 28, 14 and 7. */
    @ParameterizedTest
    @ValueSource(ints = {28, 14, 7, 5, 2})
    void poolsToExactlyWhatMaxPool2dGivesInInferenceAndInTraining(int size) {
        try (NDManager manager = NDManager.newBaseManager()) {
            // ReLU of noise: half the values are tied zeros, as after the network's ReLUs.
            NDArray input = Activation.relu(manager.randomNormal(new Shape(3, 4, size, size)));
            NDArray expected = Pool.maxPool2d(input, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            for (boolean training : new boolean[] {false, true}) {
                NDArray pooled = new MaxPool2x2().forward(new ParameterStore(manager, false), new NDList(input), training)
                        .singletonOrThrow();
                assertThat(pooled.getShape()).isEqualTo(new Shape(3, 4, size / 2, size / 2));
                assertThat(pooled.toFloatArray()).containsExactly(expected.toFloatArray());
            }
        }
    }

    @Test
    void readsParametersSavedWithDjlsMaxPoolBlock() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block before = withPooling(Pool.maxPool2dBlock(new Shape(2, 2)));
            before.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            before.saveParameters(new DataOutputStream(saved));

            Block after = withPooling(new MaxPool2x2());
            after.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
            after.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));

            NDList input = new NDList(manager.randomNormal(new Shape(2, 1, 8, 8)));
            ParameterStore parameters = new ParameterStore(manager, false);
            assertThat(after.forward(parameters, input, false).singletonOrThrow().toFloatArray())
                    .containsExactly(before.forward(parameters, input, false).singletonOrThrow().toFloatArray());
        }
    }

    private static Block withPooling(Block pooling) {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(4).build())
                .add(pooling);
    }
}
