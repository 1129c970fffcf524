package dev.digits.images;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A row of handwritten digits on the working grid. The ink is found as for one digit (paper
 * surface, Otsu threshold) and split into connected strokes; dots and specks are left out by their
 * size relative to the line's height, and the strokes are grouped into digits by horizontal
 * overlap, so that a detached bar or crossbar stays with the digit it belongs to. A group may still
 * hold several touching digits: {@link CutSearch} splits those.
 */
final class InkLine {

    /** The working grid is as tall as a single digit's would be, so a digit's strokes look the same to both. */
    static final int WORKING_HEIGHT = ImagePreprocessor.WORKING_SIDE;
    /** A mark smaller than this share of the line's height in both directions is a dot or a speck. */
    static final double SPECK = 0.2;
    /** A group lower than this share of the line cannot be a digit: a dash, an underline's stub, a stray bar. */
    static final double MIN_DIGIT_HEIGHT = 0.35;
    /** Strokes whose columns overlap by this share of the narrower one belong to one digit. */
    private static final double OVERLAP = 0.5;
    /** How far from its digit a small broken-off piece of stroke may lie, as a share of the line's height. */
    private static final double REACH = 0.1;
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
    /** The group index of each component label, or -1 for dropped specks. */
    final int[] groupOf;

    private InkLine(GrayImage gray, Background background, int factor, int width, int height, float threshold,
            float[] ink, float strokeLevel, boolean[] mask, Components components, double lineHeight, List<Group> groups, int[] groupOf) {
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
        this.groupOf = groupOf;
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
        int[] groupOf = new int[components.count + 1];
        List<Group> groups = group(components, lineHeight, groupOf);
        Histogram strokes = new Histogram(1024, 0, 1);
        for (int i = 0; i < ink.length; i++) {
            if (mask[i]) {
                strokes.add(ink[i]);
            }
        }
        float strokeLevel = Math.max(threshold, strokes.quantile(STROKE_QUANTILE));
        return new InkLine(gray, background, factor, w, h, threshold, ink, strokeLevel, mask, components, lineHeight,
                groups, groupOf);
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

    private static List<Group> group(Components c, double lineHeight, int[] groupOf) {
        double speck = SPECK * lineHeight;
        List<Integer> big = new ArrayList<>();
        List<Integer> small = new ArrayList<>();
        for (int label = 1; label <= c.count; label++) {
            int w = c.maxX[label] - c.minX[label] + 1;
            int h = c.maxY[label] - c.minY[label] + 1;
            (Math.max(w, h) >= speck ? big : small).add(label);
        }
        int[] parent = new int[c.count + 1];
        for (int label = 0; label <= c.count; label++) {
            parent[label] = label;
        }
        for (int i = 0; i < big.size(); i++) {
            for (int j = i + 1; j < big.size(); j++) {
                int a = big.get(i);
                int b = big.get(j);
                int overlap = Math.min(c.maxX[a], c.maxX[b]) - Math.max(c.minX[a], c.minX[b]) + 1;
                int narrower = Math.min(c.maxX[a] - c.minX[a], c.maxX[b] - c.minX[b]) + 1;
                if (overlap >= OVERLAP * narrower) {
                    parent[root(parent, a)] = root(parent, b);
                }
            }
        }
        // Boxes of the unions, indexed by their root label.
        int[][] boxes = new int[c.count + 1][];
        for (int label : big) {
            int r = root(parent, label);
            if (boxes[r] == null) {
                boxes[r] = new int[] {c.minX[label], c.minY[label], c.maxX[label], c.maxY[label]};
            } else {
                boxes[r][0] = Math.min(boxes[r][0], c.minX[label]);
                boxes[r][1] = Math.min(boxes[r][1], c.minY[label]);
                boxes[r][2] = Math.max(boxes[r][2], c.maxX[label]);
                boxes[r][3] = Math.max(boxes[r][3], c.maxY[label]);
            }
        }
        // A union too low to be a digit (a bar drawn apart, reaching past its digit's columns) joins the
        // digit whose columns it overlaps most; one that overlaps none is a dash or a stray mark.
        List<Integer> roots = new ArrayList<>();
        List<Integer> low = new ArrayList<>();
        for (int label : big) {
            if (root(parent, label) == label) {
                (boxes[label][3] - boxes[label][1] + 1 >= MIN_DIGIT_HEIGHT * lineHeight ? roots : low).add(label);
            }
        }
        for (int r : low) {
            int best = -1;
            int bestOverlap = 0;
            for (int tall : roots) {
                int overlap = Math.min(boxes[r][2], boxes[tall][2]) - Math.max(boxes[r][0], boxes[tall][0]) + 1;
                if (overlap > bestOverlap) {
                    best = tall;
                    bestOverlap = overlap;
                }
            }
            if (best >= 0) {
                parent[r] = best;
                boxes[best][0] = Math.min(boxes[best][0], boxes[r][0]);
                boxes[best][1] = Math.min(boxes[best][1], boxes[r][1]);
                boxes[best][2] = Math.max(boxes[best][2], boxes[r][2]);
                boxes[best][3] = Math.max(boxes[best][3], boxes[r][3]);
            }
        }
        roots.sort(Comparator.comparingInt(r -> boxes[r][0]));
        Arrays.fill(groupOf, -1);
        List<List<Integer>> members = new ArrayList<>();
        for (int g = 0; g < roots.size(); g++) {
            members.add(new ArrayList<>());
        }
        for (int label : big) {
            int g = roots.indexOf(root(parent, label));
            if (g >= 0) {
                groupOf[label] = g;
                members.get(g).add(label);
            }
        }
        // A small piece joins the digit whose columns it lies in, if it is close to it; dots between
        // digits and specks elsewhere join none.
        double reach = REACH * lineHeight;
        for (int label : small) {
            double centre = (c.minX[label] + c.maxX[label]) / 2.0;
            int best = -1;
            int bestGap = Integer.MAX_VALUE;
            for (int g = 0; g < roots.size(); g++) {
                int[] box = boxes[roots.get(g)];
                int gapY = Math.max(0, Math.max(c.minY[label] - box[3], box[1] - c.maxY[label]));
                if (centre >= box[0] && centre <= box[2] && gapY <= reach && gapY < bestGap) {
                    best = g;
                    bestGap = gapY;
                }
            }
            if (best >= 0) {
                groupOf[label] = best;
                members.get(best).add(label);
            }
        }
        List<Group> groups = new ArrayList<>(roots.size());
        for (List<Integer> labels : members) {
            int minX = Integer.MAX_VALUE;
            int minY = Integer.MAX_VALUE;
            int maxX = -1;
            int maxY = -1;
            for (int label : labels) {
                minX = Math.min(minX, c.minX[label]);
                minY = Math.min(minY, c.minY[label]);
                maxX = Math.max(maxX, c.maxX[label]);
                maxY = Math.max(maxY, c.maxY[label]);
            }
            groups.add(new Group(labels.stream().mapToInt(Integer::intValue).toArray(), minX, minY, maxX, maxY));
        }
        return groups;
    }

    private static int root(int[] parent, int label) {
        while (parent[label] != label) {
            parent[label] = parent[parent[label]];
            label = parent[label];
        }
        return label;
    }
}
