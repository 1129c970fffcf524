package dev.digits.images;

import java.util.List;

/**
 * A row of handwritten digits on the working grid. The ink is found as for one digit (paper
 * surface, Otsu threshold) and split into connected strokes, which {@link StrokeGroups} groups into
 * digits. A group may still hold several touching digits: {@link GroupSlices} and
 * {@link CutSearch} split those.
 */
final class InkLine {

    /** The working grid is as tall as a single digit's would be, so a digit's strokes look the same to both. */
    static final int WORKING_HEIGHT = ImagePreprocessor.WORKING_SIDE;
    /** The stroke level that counts as full ink, as in {@link DigitCrop}. */
    private static final double STROKE_QUANTILE = 0.9;
    /** Components smaller than this share of the largest one do not decide how tall the line is. */
    private static final double HEIGHT_SAMPLE_AREA = 0.05;

    /** Strokes (component labels) that form one digit, or several touching ones, and their box in cells. */
    record Group(int[] labels, int minX, int minY, int maxX, int maxY) {

        int width() {
            return maxX - minX + 1;
        }

        int height() {
            return maxY - minY + 1;
        }
    }

    final GrayImage gray;
    final Background background;
    final int factor;
    final int width;
    final int height;
    final float threshold;
    /** How strongly each cell is ink (see {@link Background#ink}), clamped to [0, 1]. */
    final float[] ink;
    /** The ink of a stroke's core: strong, but robust to a few saturated cells. */
    final float strokeLevel;
    /** Every stroke cell, dots and specks included: what a digit's crop must not take from its neighbours. */
    final boolean[] mask;
    final Components components;
    /** The height of the line of digits, in cells. */
    final double lineHeight;
    /** Left to right. */
    final List<Group> groups;

    private InkLine(GrayImage gray, Background background, int factor, int width, int height, float threshold,
            float[] ink, float strokeLevel, boolean[] mask, Components components, double lineHeight,
            List<Group> groups) {
        this.gray = gray;
        this.background = background;
        this.factor = factor;
        this.width = width;
        this.height = height;
        this.threshold = threshold;
        this.ink = ink;
        this.strokeLevel = strokeLevel;
        this.mask = mask;
        this.components = components;
        this.lineHeight = lineHeight;
        this.groups = groups;
    }

    /** @return the line, or null when the image holds no ink worth reading */
    static InkLine find(GrayImage gray) {
        int factor = Math.max(1, (gray.height() + WORKING_HEIGHT - 1) / WORKING_HEIGHT);
        GrayImage work = gray.downscale(factor);
        Background background = Background.estimate(work, factor, gray.width(), gray.height());
        float[] ink = background.inkMap(work, factor);
        float threshold = InkRegion.threshold(ink, background.inkNoise());
        if (Float.isNaN(threshold)) {
            return null;
        }
        int w = work.width();
        int h = work.height();
        boolean[] mask = new boolean[ink.length];
        for (int i = 0; i < ink.length; i++) {
            mask[i] = ink[i] >= threshold;
        }
        Components components = Components.label(mask, w, h);
        if (components.count == 0) {
            return null;
        }
        double lineHeight = lineHeight(components, w, h);
        List<Group> groups = StrokeGroups.of(components, lineHeight);
        Histogram strokes = new Histogram(1024, 0, 1);
        for (int i = 0; i < ink.length; i++) {
            if (mask[i]) {
                strokes.add(ink[i]);
            }
        }
        float strokeLevel = Math.max(threshold, strokes.quantile(STROKE_QUANTILE));
        return new InkLine(gray, background, factor, w, h, threshold, ink, strokeLevel, mask, components, lineHeight,
                groups);
    }

    /**
     * The rows spanned by nearly all the ink of the substantial strokes: dots and specks do not
     * count, and neither do a few stray cells far above or below the line.
     */
    private static double lineHeight(Components c, int width, int height) {
        int largest = c.largest();
        long[] rows = new long[height];
        long total = 0;
        for (int i = 0; i < c.labels.length; i++) {
            int label = c.labels[i];
            if (label != 0 && c.area[label] >= HEIGHT_SAMPLE_AREA * c.area[largest]) {
                rows[i / width]++;
                total++;
            }
        }
        long seen = 0;
        int top = -1;
        int bottom = 0;
        for (int y = 0; y < height; y++) {
            seen += rows[y];
            if (top < 0 && seen > 0.005 * total) {
                top = y;
            }
            if (seen < 0.995 * total) {
                bottom = y + 1;
            }
        }
        return Math.max(2, bottom - Math.max(0, top) + 1);
    }

    /**
     * How much a cut through this cell costs: its ink relative to a stroke's core, squared, so that the
     * faint seam where two strokes touch costs far less than a stroke's middle.
     */
    double strength(int x, int y) {
        double v = Math.min(1, ink[y * width + x] / strokeLevel);
        return v * v * v;
    }

}
