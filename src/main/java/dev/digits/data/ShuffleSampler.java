package dev.digits.data;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Batches of a new random order each epoch, derived from a seed and the epoch number, so that a
 * run is repeatable and a resumed run sees the same order it would have seen; a run resumed in the
 * middle of an epoch skips the batches it already trained.
 */
public final class ShuffleSampler implements Sampler {

    private final long seed;
    private final int batchSize;
    private int epoch;
    private int skipBatches;

    /**
     * @param skipFirstBatches batches of the first epoch already trained (a run resumed mid-epoch)
     */
    public ShuffleSampler(long seed, int batchSize, int firstEpoch, int skipFirstBatches) {
        this.seed = seed;
        this.batchSize = batchSize;
        this.epoch = firstEpoch;
        this.skipBatches = skipFirstBatches;
    }

    @Override
    public synchronized Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        int[] order = Mnist.shuffledIndices(Math.toIntExact(dataset.size()), seed * 31 + epoch++);
        List<List<Long>> batches = new ArrayList<>();
        for (int start = skipBatches * batchSize; start < order.length; start += batchSize) {
            List<Long> batch = new ArrayList<>(batchSize);
            for (int i = start; i < Math.min(order.length, start + batchSize); i++) {
                batch.add((long) order[i]);
            }
            batches.add(batch);
        }
        skipBatches = 0;
        return batches.iterator();
    }

    @Override
    public int getBatchSize() {
        return batchSize;
    }
}
