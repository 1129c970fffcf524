package dev.digits.data;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.Arrays;
import java.util.Iterator;

/**
 * A new random order each epoch, derived from a seed and the epoch number, so that a run is
 * repeatable and a resumed run sees the same order it would have seen.
 */
public final class ShuffleSampler implements Sampler.SubSampler {

    private final long seed;
    private int epoch;

    public ShuffleSampler(long seed, int firstEpoch) {
        this.seed = seed;
        this.epoch = firstEpoch;
    }

    @Override
    public synchronized Iterator<Long> sample(RandomAccessDataset dataset) {
        int[] order = Mnist.shuffledIndices(Math.toIntExact(dataset.size()), seed * 31 + epoch++);
        return Arrays.stream(order).mapToLong(i -> i).boxed().iterator();
    }
}
