package dev.digits.images;

import dev.digits.data.LabelledImages;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Renders MNIST digits the way clients send them: canvas drawings, coloured pens, small
 * scans and phone photos. The digit is enlarged bilinearly from its 28×28 original, so its shape
 * is the one MNIST labelled, and only the presentation changes.
 */
public final class ClientStyles {

    public enum Style { PLAIN, CANVAS, COLOURED_INK, SCAN, PHOTO }

    private static final int[][] INK_COLOURS = {{0, 0, 0}, {20, 60, 220}, {200, 30, 30}, {30, 120, 50}};
    private static final float[] GAUSSIAN = gaussianTable(1 << 16, new Random(7));

    private final LabelledImages images;

    public ClientStyles(LabelledImages images) {
        this.images = images;
    }

    /** The encoded upload (PNG, or JPEG for photos) of test digit {@code index} in {@code style}. */
    public byte[] upload(Style style, int index, Random random) {
        return switch (style) {
            case PLAIN -> encode(plain(index), "png");
            case CANVAS -> encode(canvas(index, random), "png");
            case COLOURED_INK -> encode(colouredInk(index, random), "png");
            case SCAN -> encode(scan(index, random), "png");
            case PHOTO -> encode(photo(index, random, true), "jpg");
        };
    }

    /** The MNIST image itself, as 8-bit gray. */
    BufferedImage plain(int index) {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        int[] samples = new int[28 * 28];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = images.pixels()[index * 28 * 28 + i] & 0xff;
        }
        image.getRaster().setSamples(0, 0, 28, 28, 0, samples);
        return image;
    }

    /** A web canvas: RGBA, transparent, the ink only in alpha; rgb is 0 where nothing was drawn. */
    BufferedImage canvas(int index, Random random) {
        int width = random.nextBoolean() ? 280 : 300;
        int height = width == 280 ? 280 : 200;
        float[] coverage = place(index, width, height, 0.45 + 0.45 * random.nextDouble(), random);
        int[] ink = random.nextBoolean() ? INK_COLOURS[0] : INK_COLOURS[1 + random.nextInt(INK_COLOURS.length - 1)];
        int rgb = (ink[0] << 16) | (ink[1] << 8) | ink[2];
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        int[] pixels = pixels(image);
        for (int i = 0; i < pixels.length; i++) {
            int alpha = Math.round(coverage[i] * 255);
            pixels[i] = alpha == 0 ? 0 : (alpha << 24) | rgb;
        }
        return image;
    }

    /** A coloured pen (blue, red or green) on white, opaque RGB. */
    BufferedImage colouredInk(int index, Random random) {
        int width = 200 + random.nextInt(200);
        int height = 200 + random.nextInt(200);
        float[] coverage = place(index, width, height, 0.4 + 0.5 * random.nextDouble(), random);
        int[] ink = INK_COLOURS[1 + random.nextInt(INK_COLOURS.length - 1)];
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] pixels = pixels(image);
        for (int i = 0; i < pixels.length; i++) {
            float c = coverage[i];
            int r = Math.round(255 + (ink[0] - 255) * c);
            int g = Math.round(255 + (ink[1] - 255) * c);
            int b = Math.round(255 + (ink[2] - 255) * c);
            pixels[i] = (r << 16) | (g << 8) | b;
        }
        return image;
    }

    /** A small gray scan: dark ink on light gray paper, with a little noise. */
    BufferedImage scan(int index, Random random) {
        int side = random.nextBoolean() ? 40 : 56;
        float[] coverage = place(index, side, side, 0.6 + 0.25 * random.nextDouble(), random);
        float paper = 190 + random.nextInt(40);
        float ink = 30 + random.nextInt(50);
        int[] samples = new int[side * side];
        int noise = random.nextInt(GAUSSIAN.length);
        for (int i = 0; i < samples.length; i++) {
            float value = paper + (ink - paper) * coverage[i] + 4 * GAUSSIAN[(noise + i * 7919) & (GAUSSIAN.length - 1)];
            samples[i] = Math.max(0, Math.min(255, Math.round(value)));
        }
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSamples(0, 0, side, side, 0, samples);
        return image;
    }

    /**
     * A 600×800 phone photo: dark ink on off-white paper, light falling from 0.5 to 1.0 across the
     * page, sensor noise, and (if {@code specks}) a few dark specks away from the digit.
     */
    BufferedImage photo(int index, Random random, boolean specks) {
        int width = 600;
        int height = 800;
        float[] coverage = place(index, width, height, 0.3 + 0.3 * random.nextDouble(), random);
        double angle = random.nextDouble() * 2 * Math.PI;
        double dx = Math.cos(angle);
        double dy = Math.sin(angle);
        double lo = Math.min(0, dx * width) + Math.min(0, dy * height);
        double hi = Math.max(0, dx * width) + Math.max(0, dy * height);
        float[] paper = {0.88f, 0.85f, 0.80f};
        float inkLevel = 0.10f + 0.08f * random.nextFloat();
        int noise = random.nextInt(GAUSSIAN.length);
        if (specks) {
            addSpecks(coverage, width, height, 3 + random.nextInt(4), random);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] pixels = pixels(image);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                float light = (float) (0.5 + 0.5 * ((dx * x + dy * y) - lo) / (hi - lo));
                int rgb = 0;
                for (int channel = 0; channel < 3; channel++) {
                    float reflectance = paper[channel] + (inkLevel - paper[channel]) * coverage[i];
                    float value = light * reflectance + 0.02f * GAUSSIAN[(noise + i * 3 + channel) & (GAUSSIAN.length - 1)];
                    rgb = (rgb << 8) | Math.max(0, Math.min(255, Math.round(value * 255)));
                }
                pixels[i] = rgb;
            }
        }
        return image;
    }

    /** Small dark discs placed where the digit is not (coverage 0 within a margin). */
    static void addSpecks(float[] coverage, int width, int height, int count, Random random) {
        int placed = 0;
        for (int attempt = 0; attempt < 1000 && placed < count; attempt++) {
            int radius = 2 + random.nextInt(3);
            int cx = radius + random.nextInt(width - 2 * radius);
            int cy = radius + random.nextInt(height - 2 * radius);
            if (inkWithin(coverage, width, height, cx, cy, 40)) {
                continue;
            }
            for (int y = cy - radius; y <= cy + radius; y++) {
                for (int x = cx - radius; x <= cx + radius; x++) {
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius) {
                        coverage[y * width + x] = 1f;
                    }
                }
            }
            placed++;
        }
    }

    private static boolean inkWithin(float[] coverage, int width, int height, int cx, int cy, int margin) {
        for (int y = Math.max(0, cy - margin); y < Math.min(height, cy + margin); y++) {
            for (int x = Math.max(0, cx - margin); x < Math.min(width, cx + margin); x++) {
                if (coverage[y * width + x] > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The digit's ink coverage on a {@code width}×{@code height} page: its bounding box's longer side
     * is {@code fraction} of the page's shorter side, at a random, usually off-centre position.
     */
    float[] place(int index, int width, int height, double fraction, Random random) {
        int minX = 28;
        int minY = 28;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                if (images.pixels()[index * 784 + y * 28 + x] != 0) {
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        int box = Math.max(maxX - minX + 1, maxY - minY + 1);
        double scale = fraction * Math.min(width, height) / box;
        double left = (width - (maxX - minX + 1) * scale) * random.nextDouble() - minX * scale;
        double top = (height - (maxY - minY + 1) * scale) * random.nextDouble() - minY * scale;
        float[] coverage = new float[width * height];
        for (int y = 0; y < height; y++) {
            double sy = (y + 0.5 - top) / scale - 0.5;
            if (sy < -1 || sy > 28) {
                continue;
            }
            for (int x = 0; x < width; x++) {
                double sx = (x + 0.5 - left) / scale - 0.5;
                if (sx >= -1 && sx <= 28) {
                    coverage[y * width + x] = bilinear(index, sx, sy);
                }
            }
        }
        return coverage;
    }

    private float bilinear(int index, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        return (float) ((1 - fx) * (1 - fy) * pixel(index, x0, y0) + fx * (1 - fy) * pixel(index, x0 + 1, y0)
                + (1 - fx) * fy * pixel(index, x0, y0 + 1) + fx * fy * pixel(index, x0 + 1, y0 + 1));
    }

    private float pixel(int index, int x, int y) {
        if (x < 0 || y < 0 || x >= 28 || y >= 28) {
            return 0;
        }
        return (images.pixels()[index * 784 + y * 28 + x] & 0xff) / 255f;
    }

    private static int[] pixels(BufferedImage image) {
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static float[] gaussianTable(int size, Random random) {
        float[] table = new float[size];
        for (int i = 0; i < size; i++) {
            table[i] = (float) random.nextGaussian();
        }
        return table;
    }
}
