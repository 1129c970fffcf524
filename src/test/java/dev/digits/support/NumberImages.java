package dev.digits.support;

import dev.digits.data.LabelledImages;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Whole numbers written with MNIST test digits, two to five in a row, as the images apps send:
 * canvas drawings (transparent RGBA, the ink only in alpha) and dark ink on paper (gray, with
 * sensor noise and a few specks). Each digit is enlarged bilinearly from its 28×28 original, so its
 * shape is the one MNIST labelled; the families differ in how the digits sit together.
 */
public final class NumberImages {

    /** How neighbours are laid out. */
    public enum Family {
        /** Clear gaps between the digits' ink. */
        GAPS,
        /** Gaps, and every digit drawn in several strokes: a thin band across it is erased. */
        STROKES,
        /** Each digit slid against its left neighbour until their ink touches. */
        TOUCHING,
        /** Each digit slid 4–8 % of the line height further than touching: strokes cross and run together. */
        OVERLAPPING
    }

    public enum Style { CANVAS, PAPER }

    /**
     * One test image: the number it shows, the encoded upload, the MNIST test indices used, and
     * where each digit's ink lies: {@code {left, top, right, bottom}} in pixels, inclusive.
     */
    public record Sample(String number, byte[] bytes, BufferedImage image, Family family, Style style, int[] indices,
                         int[][] boxes) {
    }

    private static final int[][] INK_COLOURS = {{0, 0, 0}, {20, 60, 220}, {200, 30, 30}, {30, 120, 50}};
    /** Coverage above which a rendered pixel counts as ink when placing digits against each other. */
    private static final float INK = 0.5f;

    private final LabelledImages digits;

    public NumberImages(LabelledImages digits) {
        this.digits = digits;
    }

    /** MNIST's test digits, never seen in training. */
    public static NumberImages fromMnistTest() {
        return new NumberImages(MnistImages.test());
    }

    /** A number of {@code length} random test digits; everything random comes from {@code random}. */
    public Sample sample(Family family, Style style, int length, Random random) {
        int[] indices = new int[length];
        for (int i = 0; i < length; i++) {
            indices[i] = random.nextInt(digits.size());
        }
        return render(family, style, indices, random);
    }

    /** The number made of test digits {@code indices}, left to right; the line height and layout come from {@code random}. */
    public Sample render(Family family, Style style, int[] indices, Random random) {
        int lineHeight = 48 + random.nextInt(113);
        Sprite[] sprites = new Sprite[indices.length];
        for (int i = 0; i < indices.length; i++) {
            sprites[i] = sprite(indices[i], lineHeight * (0.9 + 0.2 * random.nextDouble()));
            if (family == Family.STROKES) {
                sprites[i] = sprites[i].splitByBand(lineHeight, random);
            }
        }
        Page page = layout(family, sprites, lineHeight, random);
        StringBuilder number = new StringBuilder();
        for (int index : indices) {
            number.append(digits.label(index));
        }
        BufferedImage image = style == Style.CANVAS ? canvas(page, random) : paper(page, lineHeight, random);
        return new Sample(number.toString(), png(image), image, family, style, indices, page.boxes());
    }

    /** Ink coverage in [0, 1] of a page, row-major. */
    private record Page(float[] coverage, int width, int height, int[][] boxes) {
    }

    /** Places the sprites left to right on a page with margins. */
    private static Page layout(Family family, Sprite[] sprites, int lineHeight, Random random) {
        int maxHeight = Arrays.stream(sprites).mapToInt(s -> s.height).max().orElseThrow();
        int jitter = (int) Math.round(0.06 * lineHeight);
        int margin = (int) Math.round(lineHeight * (0.25 + 0.3 * random.nextDouble()));
        int height = maxHeight + 2 * jitter + 2 * margin;
        int[] xs = new int[sprites.length];
        int[] ys = new int[sprites.length];
        // The rightmost ink so far on each page row, relative to the first digit's left edge.
        int[] right = new int[height];
        Arrays.fill(right, Integer.MIN_VALUE / 2);
        int extent = 0;
        for (int k = 0; k < sprites.length; k++) {
            Sprite s = sprites[k];
            ys[k] = margin + jitter + (maxHeight - s.height) / 2 + random.nextInt(2 * jitter + 1) - jitter;
            if (k == 0) {
                xs[k] = 0;
            } else {
                int gap = switch (family) {
                    case GAPS, STROKES -> (int) Math.round(lineHeight * (0.10 + 0.25 * random.nextDouble()));
                    case TOUCHING -> 0;
                    case OVERLAPPING -> -(int) Math.round(lineHeight * (0.04 + 0.04 * random.nextDouble()));
                };
                // The leftmost place where this digit's ink keeps the gap from the ink already placed,
                // in every direction: rows within the gap above and below count too. A negative gap
                // slides the digit that far past the first contact.
                int reach = Math.max(0, gap);
                int contact = Integer.MIN_VALUE;
                for (int r = 0; r < s.height; r++) {
                    if (s.left[r] < 0) {
                        continue;
                    }
                    for (int y = Math.max(0, ys[k] + r - reach); y <= Math.min(height - 1, ys[k] + r + reach); y++) {
                        if (right[y] > Integer.MIN_VALUE / 2) {
                            contact = Math.max(contact, right[y] - s.left[r]);
                        }
                    }
                }
                xs[k] = (contact == Integer.MIN_VALUE ? extent : contact) + gap;
            }
            for (int r = 0; r < s.height; r++) {
                if (s.right[r] >= 0) {
                    right[ys[k] + r] = Math.max(right[ys[k] + r], xs[k] + s.right[r]);
                }
            }
            extent = Math.max(extent, xs[k] + s.width);
        }
        int shiftX = margin - Math.min(0, Arrays.stream(xs).min().orElse(0));
        int width = extent + shiftX + margin;
        float[] page = new float[width * height];
        for (int k = 0; k < sprites.length; k++) {
            Sprite s = sprites[k];
            for (int y = 0; y < s.height; y++) {
                for (int x = 0; x < s.width; x++) {
                    int i = (ys[k] + y) * width + xs[k] + shiftX + x;
                    page[i] = Math.max(page[i], s.coverage[y * s.width + x]);
                }
            }
        }
        int[][] boxes = new int[sprites.length][];
        for (int k = 0; k < sprites.length; k++) {
            boxes[k] = sprites[k].inkBox(xs[k] + shiftX, ys[k]);
        }
        return new Page(page, width, height, boxes);
    }

    /** A canvas drawing: RGBA, transparent where nothing was drawn, the ink in alpha. */
    private static BufferedImage canvas(Page page, Random random) {
        float[] coverage = page.coverage();
        int[] ink = random.nextBoolean() ? INK_COLOURS[0] : INK_COLOURS[1 + random.nextInt(INK_COLOURS.length - 1)];
        int rgb = (ink[0] << 16) | (ink[1] << 8) | ink[2];
        BufferedImage image = new BufferedImage(page.width(), page.height(), BufferedImage.TYPE_INT_ARGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i++) {
            int alpha = Math.round(coverage[i] * 255);
            pixels[i] = alpha == 0 ? 0 : (alpha << 24) | rgb;
        }
        return image;
    }

    /**
     * Dark ink on light gray paper, 8-bit gray: light falling off across the page, sensor noise,
     * and a few specks of dirt away from the digits.
     */
    private static BufferedImage paper(Page page, int lineHeight, Random random) {
        int width = page.width();
        int height = page.height();
        float[] coverage = page.coverage();
        float[] ink = coverage.clone();
        int specks = random.nextInt(4);
        for (int placed = 0, attempt = 0; placed < specks && attempt < 200; attempt++) {
            int radius = 1 + random.nextInt(Math.max(1, lineHeight / 40));
            int cx = radius + random.nextInt(Math.max(1, width - 2 * radius));
            int cy = radius + random.nextInt(Math.max(1, height - 2 * radius));
            if (inkWithin(coverage, width, height, cx, cy, lineHeight / 4)) {
                continue;
            }
            for (int y = cy - radius; y <= cy + radius; y++) {
                for (int x = cx - radius; x <= cx + radius; x++) {
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius) {
                        ink[y * width + x] = 1f;
                    }
                }
            }
            placed++;
        }
        float paper = 200 + random.nextInt(45);
        float inkLevel = 20 + random.nextInt(60);
        double falloff = 0.25 * random.nextDouble();
        int[] samples = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                double light = 1 - falloff * x / width;
                double value = light * (paper + (inkLevel - paper) * ink[i]) + 3 * random.nextGaussian();
                samples[i] = (int) Math.max(0, Math.min(255, Math.round(value)));
            }
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSamples(0, 0, width, height, 0, samples);
        return image;
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

    /** Test digit {@code index}, its ink box enlarged bilinearly to {@code height} pixels, with a one-pixel soft border. */
    private Sprite sprite(int index, double height) {
        int minX = 28;
        int minY = 28;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                if (digits.pixels()[index * 784 + y * 28 + x] != 0) {
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        double scale = height / (maxY - minY + 1);
        int w = (int) Math.ceil((maxX - minX + 3) * scale);
        int h = (int) Math.ceil((maxY - minY + 3) * scale);
        float[] coverage = new float[w * h];
        for (int y = 0; y < h; y++) {
            double sy = minY - 1 + (y + 0.5) / scale - 0.5;
            for (int x = 0; x < w; x++) {
                double sx = minX - 1 + (x + 0.5) / scale - 0.5;
                coverage[y * w + x] = bilinear(index, sx, sy);
            }
        }
        return new Sprite(w, h, coverage);
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
        return (digits.pixels()[index * 784 + y * 28 + x] & 0xff) / 255f;
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** One rendered digit and, per row, its leftmost and rightmost ink (-1 for rows without ink). */
    private static final class Sprite {

        final int width;
        final int height;
        final float[] coverage;
        final int[] left;
        final int[] right;

        Sprite(int width, int height, float[] coverage) {
            this.width = width;
            this.height = height;
            this.coverage = coverage;
            this.left = new int[height];
            this.right = new int[height];
            for (int y = 0; y < height; y++) {
                left[y] = -1;
                right[y] = -1;
                for (int x = 0; x < width; x++) {
                    if (coverage[y * width + x] >= INK) {
                        if (left[y] < 0) {
                            left[y] = x;
                        }
                        right[y] = x;
                    }
                }
            }
        }

        /** Left, top, right and bottom of the ink, inclusive, placed at {@code (x, y)}. */
        int[] inkBox(int x, int y) {
            int minX = width;
            int maxX = -1;
            int minY = height;
            int maxY = -1;
            for (int r = 0; r < height; r++) {
                if (left[r] >= 0) {
                    minX = Math.min(minX, left[r]);
                    maxX = Math.max(maxX, right[r]);
                    minY = Math.min(minY, r);
                    maxY = Math.max(maxY, r);
                }
            }
            return new int[] {x + minX, y + minY, x + maxX, y + maxY};
        }

        /**
         * The digit drawn in several strokes: a thin horizontal band across it is erased (below the bar
         * of a 5 or 7, through the arms of a 4), at a height where that cuts its ink into more pieces.
         */
        Sprite splitByBand(int lineHeight, Random random) {
            int band = Math.max(2, (int) Math.round(0.025 * lineHeight));
            int top = 0;
            int bottom = height - 1;
            while (top < height && left[top] < 0) {
                top++;
            }
            while (bottom > top && left[bottom] < 0) {
                bottom--;
            }
            int pieces = pieces(coverage);
            for (int attempt = 0; attempt < 20; attempt++) {
                int from = top + (int) Math.round((bottom - top) * (0.15 + 0.4 * random.nextDouble()));
                float[] cut = coverage.clone();
                for (int y = from; y < Math.min(height, from + band); y++) {
                    Arrays.fill(cut, y * width, (y + 1) * width, 0f);
                }
                if (pieces(cut) > pieces) {
                    return new Sprite(width, height, cut);
                }
            }
            throw new AssertionError("no band splits this digit");
        }

        /** 8-connected pieces of ink. */
        private int pieces(float[] values) {
            boolean[] seen = new boolean[values.length];
            int count = 0;
            ArrayDeque<Integer> stack = new ArrayDeque<>();
            for (int start = 0; start < values.length; start++) {
                if (seen[start] || values[start] < INK) {
                    continue;
                }
                count++;
                seen[start] = true;
                stack.push(start);
                while (!stack.isEmpty()) {
                    int p = stack.pop();
                    int x = p % width;
                    int y = p / width;
                    for (int ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
                        for (int nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
                            int q = ny * width + nx;
                            if (!seen[q] && values[q] >= INK) {
                                seen[q] = true;
                                stack.push(q);
                            }
                        }
                    }
                }
            }
            return count;
        }
    }
}
