package dev.digits.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import dev.digits.model.InputContract;

/**
 * {@link LabelledImages} as a DJL dataset: each record is a {@code [1, 28, 28]} image in [0, 1] and
 * its label. DJL's batch iterator applies the builder's transforms (augmentation, normalization)
 * to each record, so {@link #get} must not.
 */
public final class ImageDataset extends RandomAccessDataset {

    private static final Shape IMAGE = new Shape(InputContract.CHANNELS, InputContract.SIZE, InputContract.SIZE);

    private final LabelledImages images;

    private ImageDataset(Builder builder) {
        super(builder);
        this.images = builder.images;
    }

    public static Builder builder(LabelledImages images) {
        return new Builder(images);
    }

    @Override
    public Record get(NDManager manager, long index) {
        int i = Math.toIntExact(index);
        float[] unit = new float[InputContract.PIXELS];
        images.copyUnit(i, unit, 0);
        NDArray label = manager.create((float) images.label(i));
        return new Record(new NDList(manager.create(unit, IMAGE)), new NDList(label));
    }

    @Override
    protected long availableSize() {
        return images.size();
    }

    @Override
    public void prepare(Progress progress) {
        // the images are already in memory
    }

    public static final class Builder extends BaseBuilder<Builder> {

        private final LabelledImages images;

        private Builder(LabelledImages images) {
            this.images = images;
        }

        @Override
        protected Builder self() {
            return this;
        }

        public ImageDataset build() {
            return new ImageDataset(this);
        }
    }
}
