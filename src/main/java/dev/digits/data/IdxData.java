package dev.digits.data;

import java.util.Arrays;

/**
 * The content of one unsigned-byte IDX file: its dimensions and its values in row-major order.
 * MNIST images are {@code [count, 28, 28]}, labels {@code [count]}.
 */
public record IdxData(int[] dimensions, byte[] values) {

    public int count() {
        return dimensions[0];
    }

    /** Number of values per item: 784 for a 28×28 image, 1 for a label. */
    public int itemSize() {
        int size = 1;
        for (int i = 1; i < dimensions.length; i++) {
            size *= dimensions[i];
        }
        return size;
    }

    @Override
    public String toString() {
        return "IdxData" + Arrays.toString(dimensions);
    }
}
