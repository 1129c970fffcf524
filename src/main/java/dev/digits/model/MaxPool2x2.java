package dev.digits.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * 2×2 max-pooling with stride 2 in floor mode (an odd last row and column are left out), computed
 * two ways. Training uses PyTorch's {@code max_pool2d}. Inference takes the element-wise maximum of
 * the four strided views that start at (0,0), (0,1), (1,0) and (1,1). Both give exactly the same
 * values, and the second is 4–7× faster on the CPU, because {@code max_pool2d} there also records
 * where each maximum was, one scalar at a time: pooling was a third to a half of the network's
 * forward pass with {@code max_pool2d} (the profile and MaxPoolBenchmark in docs/benchmarks.md).
 * The two differ only in their gradients on ties, so training keeps {@code max_pool2d}.
 *
 * <p>It saves and loads exactly as {@code Pool.maxPool2dBlock(2×2)} (a parameterless
 * {@link LambdaBlock}), so model archives written before and after it are interchangeable.
 */
public final class MaxPool2x2 extends LambdaBlock {

    private static final Shape WINDOW = new Shape(2, 2);

    MaxPool2x2() {
        super(inputs -> new NDList(Pool.maxPool2d(inputs.singletonOrThrow(), WINDOW, WINDOW, new Shape(0, 0), false)),
                "maxPool2d");
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        if (training) {
            return super.forwardInternal(parameterStore, inputs, true, params);
        }
        return new NDList(stridedMaximum(inputs.singletonOrThrow()));
    }

    /** The pooled {@code [N, C, H, W]} input: the maximum of its four strided views. */
    public static NDArray stridedMaximum(NDArray x) {
        long h = x.getShape().get(2) / 2 * 2;
        long w = x.getShape().get(3) / 2 * 2;
        NDArray a = x.get(":, :, 0:" + h + ":2, 0:" + w + ":2");
        NDArray b = x.get(":, :, 0:" + h + ":2, 1:" + w + ":2");
        NDArray c = x.get(":, :, 1:" + h + ":2, 0:" + w + ":2");
        NDArray d = x.get(":, :, 1:" + h + ":2, 1:" + w + ":2");
        return NDArrays.maximum(NDArrays.maximum(a, b), NDArrays.maximum(c, d));
    }
}
