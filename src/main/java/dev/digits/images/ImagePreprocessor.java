package dev.digits.images;

import dev.digits.model.InputContract;
import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * Turns a client's picture of one digit (canvas drawing, scan, phone photo) into the input MNIST
 * networks expect. A downscaled working copy keeps finding the paper, the ink and the digit cheap;
 * the digit itself is then cut from full resolution. Stateless and thread-safe.
 */
public final class ImagePreprocessor {

    /** Big enough to find a digit's strokes, small enough that finding them costs a few milliseconds. */
    static final int WORKING_SIDE = 256;

    /**
     * @return 784 values in [0, 1], row-major 28×28, bright ink on black, not normalized (see
     *     {@link InputContract#normalize(float[], int, int)}); all zeros for a blank image
     */
    public float[] toMnist(BufferedImage image) {
        return preprocess(image).unit();
    }

    /** The network's input and what was found: an image without ink gives all zeros and says so. */
    public MnistInput preprocess(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        GrayImage gray = GrayConversion.of(image);
        int factor = Math.max(1, (Math.max(gray.width(), gray.height()) + WORKING_SIDE - 1) / WORKING_SIDE);
        GrayImage work = gray.downscale(factor);
        Background background = Background.estimate(work, factor, gray.width(), gray.height());
        float[] inkMap = background.inkMap(work, factor);
        float contrast = 0;
        for (float value : inkMap) {
            contrast = Math.max(contrast, value);
        }
        InkRegion region = InkRegion.find(inkMap, work.width(), work.height(), background.inkNoise());
        DigitCrop crop = region == null ? null : DigitCrop.extract(gray, background, region, factor);
        if (crop == null) {
            return new MnistInput(new float[InputContract.PIXELS], InkEvidence.none(contrast));
        }
        double area = region.inkCells() / (double) inkMap.length;
        return new MnistInput(MnistFrame.place(crop), new InkEvidence(true, area, region.strokes(), contrast));
    }
}
