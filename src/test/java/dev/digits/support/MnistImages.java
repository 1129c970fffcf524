package dev.digits.support;

import dev.digits.data.LabelledImages;
import dev.digits.data.Mnist;
import dev.digits.data.MnistLoader;
import dev.digits.data.MnistSource;
import dev.digits.model.InputContract;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** Real MNIST test digits as the files and JSON that clients send. */
public final class MnistImages {

    private static final Mnist MNIST = MnistLoader.load(MnistSource.bundled());
    private static final LabelledImages TEST = MNIST.test();

    private MnistImages() {
    }

    public static LabelledImages test() {
        return TEST;
    }

    public static LabelledImages train() {
        return MNIST.train();
    }

    public static int label(int index) {
        return TEST.label(index);
    }

    /** The first {@code count} test digits side by side, normalized as the network takes them. */
    public static float[] normalizedTest(int count) {
        float[] images = new float[count * InputContract.PIXELS];
        for (int i = 0; i < count; i++) {
            TEST.copyUnit(i, images, i * InputContract.PIXELS);
        }
        InputContract.normalize(images, 0, images.length);
        return images;
    }

    /** Test digit {@code index} as an image file: dark ink on white, {@code scale}× larger, in {@code format}. */
    public static byte[] file(int index, String format, int scale) {
        int size = 28 * scale;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int ink = TEST.pixels()[index * 784 + (y / scale) * 28 + x / scale] & 0xff;
                int gray = 255 - ink;
                image.setRGB(x, y, gray << 16 | gray << 8 | gray);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new AssertionError("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /**
     * A ZIP of test digits {@code from..to-1} as PNG files in folders named by their label, the
     * layout {@code POST /datasets} takes; {@code transform} may change each 28×28 image first.
     */
    public static byte[] datasetZip(int from, int to, UnaryOperator<BufferedImage> transform) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = from; i < to; i++) {
                zip.putNextEntry(new ZipEntry("digits/" + TEST.label(i) + "/" + i + ".png"));
                ImageIO.write(transform.apply(gray(i)), "png", zip);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    /** Test digit {@code index} as it is stored: bright ink on black, 28×28 gray. */
    public static BufferedImage gray(int index) {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, 28, 28, Arrays.copyOfRange(TEST.pixels(), index * 784, (index + 1) * 784));
        return image;
    }

    /** Test digit {@code index} as a JSON array of 784 values in 0–255. */
    public static String pixelsJson(int index) {
        StringJoiner values = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 784; i++) {
            values.add(String.valueOf(TEST.pixels()[index * 784 + i] & 0xff));
        }
        return values.toString();
    }

    /** Test digit {@code index} as 28 nested rows of values in 0–1. */
    public static String nestedUnitPixelsJson(int index) {
        StringJoiner rows = new StringJoiner(",", "[", "]");
        for (int y = 0; y < 28; y++) {
            StringJoiner row = new StringJoiner(",", "[", "]");
            for (int x = 0; x < 28; x++) {
                row.add(String.valueOf((TEST.pixels()[index * 784 + y * 28 + x] & 0xff) / 255.0));
            }
            rows.add(row.toString());
        }
        return rows.toString();
    }
}
