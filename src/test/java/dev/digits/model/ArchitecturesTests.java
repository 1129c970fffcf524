package dev.digits.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ArchitecturesTests {

    @ParameterizedTest
    @ValueSource(strings = {"cnn", "lenet5"})
    void mapsABatchOfImagesToTenLogits(String name) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Architectures.create(name);
            block.initialize(manager, DataType.FLOAT32, Architectures.inputShape(1));
            NDArray input = manager.randomNormal(Architectures.inputShape(5));
            for (boolean training : new boolean[] {false, true}) {
                NDArray output = block.forward(new ParameterStore(manager, false), new NDList(input), training).singletonOrThrow();
                assertThat(output.getShape()).isEqualTo(new Shape(5, InputContract.CLASSES));
            }
            assertThat(block.getOutputShapes(new Shape[] {Architectures.inputShape(7)})[0]).isEqualTo(new Shape(7, 10));
        }
    }

    @Test
    void reportsParameterCounts() {
        // LeNet-5: conv 6·(25+1), conv 16·(6·25+1), 400·120+120, 120·84+84, 84·10+10
        assertThat(Architectures.parameterCount("lenet5")).isEqualTo(156 + 2416 + 48120 + 10164 + 850);
        assertThat(Architectures.parameterCount("cnn")).isBetween(300_000L, 600_000L);
    }

    @Test
    void rejectsUnknownNamesListingTheKnownOnes() {
        assertThatThrownBy(() -> Architectures.create("resnet152"))
                .isInstanceOf(UnknownArchitectureException.class)
                .hasMessageContaining("resnet152")
                .hasMessageContaining("cnn, lenet5");
    }
}
