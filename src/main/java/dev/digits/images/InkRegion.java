package dev.digits.images;

/**
 * Where the digit lies on the working grid. Thresholded ink is split into connected components;
 * the big ones are the digit, and specks of dirt or noise are left out, so they cannot stretch
 * the digit's bounding box. The kept strokes are then grown a little to take in their soft edges.
 */
final class InkRegion {

    /** Below this, an image holds no ink worth reading (in {@link Background#ink} units). */
    static final float MIN_CONTRAST = 0.1f;
    /** Strokes of one digit are seldom smaller than a tenth of its biggest stroke; specks are. */
    private static final double CORE_FRACTION = 0.10;
    /** Smaller pieces still count when they sit right next to the digit (broken strokes). */
    private static final double FRAGMENT_FRACTION = 0.02;
    private static final double FRAGMENT_REACH = 0.10;
    /** A digit spans at least this share of the image's longer side; anything smaller is a lone speck. */
    private static final double MIN_EXTENT = 0.02;
    /** Cells by which kept strokes grow to include anti-aliased edges that fall below the threshold. */
    private static final int GROWTH = 2;

    /** Width of the region's box: {@code near} covers only the box. */
    private final int width;
    private final boolean[] near;
    private final float threshold;
    private final int minX;
    private final int minY;
    private final int maxX;
    private final int maxY;

    private final int strokes;
    private final int inkCells;

    private InkRegion(int width, boolean[] near, float threshold, int minX, int minY, int maxX, int maxY,
                      int strokes, int inkCells) {
        this.strokes = strokes;
        this.inkCells = inkCells;
        this.width = width;
        this.near = near;
        this.threshold = threshold;
        this.minX = minX;
        this.minY = minY;
        this.maxX = maxX;
        this.maxY = maxY;
    }

    /** @return the digit's region, or null when the image is blank or holds nothing digit-sized */
    static InkRegion find(float[] ink, int width, int height, float noise) {
        float threshold = threshold(ink, noise);
        if (Float.isNaN(threshold)) {
            return null;
        }
        boolean[] mask = new boolean[ink.length];
        for (int i = 0; i < ink.length; i++) {
            mask[i] = ink[i] >= threshold;
        }
        Components components = Components.label(mask, width, height);
        boolean[] kept = keptComponents(components);
        boolean[] strokes = new boolean[ink.length];
        for (int i = 0; i < ink.length; i++) {
            strokes[i] = kept[components.labels[i]];
        }
        return around(strokes, width, height, threshold);
    }

    /**
     * The level above which a cell is a stroke: Otsu's cut of the ink, but never within the paper's
     * noise. NaN when the image holds no ink worth reading.
     */
    static float threshold(float[] ink, float noise) {
        float max = 0;
        for (float value : ink) {
            max = Math.max(max, value);
        }
        if (max < Math.max(MIN_CONTRAST, 3 * noise)) {
            return Float.NaN;
        }
        Histogram histogram = new Histogram(256, 0, max);
        for (float value : ink) {
            histogram.add(value);
        }
        return Math.max(histogram.otsuThreshold(), 4 * noise);
    }

    private static InkRegion around(boolean[] strokes, int width, int height, float threshold) {
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int i = 0; i < strokes.length; i++) {
            if (strokes[i]) {
                minX = Math.min(minX, i % width);
                minY = Math.min(minY, i / width);
                maxX = Math.max(maxX, i % width);
                maxY = Math.max(maxY, i / width);
            }
        }
        if (maxX < 0 || Math.max(maxX - minX, maxY - minY) + 1 < Math.max(2, MIN_EXTENT * Math.max(width, height))) {
            return null;
        }
        return of(strokes, minX, minY, maxX, maxY, null, width, height, threshold);
    }

    /**
     * The region around strokes whose box is known, for one digit of several: they are grown as in
     * {@link #find}, but never into cells of {@code others} (the strokes of other digits; null for
     * none). Growing works within the box widened by the growth, the only cells it can reach.
     */
    static InkRegion of(boolean[] strokes, int minX, int minY, int maxX, int maxY, boolean[] others,
            int width, int height, float threshold) {
        int x0 = Math.max(0, minX - GROWTH);
        int y0 = Math.max(0, minY - GROWTH);
        int x1 = Math.min(width - 1, maxX + GROWTH);
        int y1 = Math.min(height - 1, maxY + GROWTH);
        int w = x1 - x0 + 1;
        int h = y1 - y0 + 1;
        boolean[] local = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(strokes, (y0 + y) * width + x0, local, y * w, w);
        }
        boolean[] near = grow(local, w, h, GROWTH);
        if (others != null) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    near[i] &= local[i] || !others[(y0 + y) * width + x0 + x];
                }
            }
        }
        int inkCells = 0;
        for (boolean stroke : local) {
            if (stroke) {
                inkCells++;
            }
        }
        return new InkRegion(w, near, threshold, x0, y0, x1, y1, Components.label(local, w, h).count, inkCells);
    }

    /** Indexed by label; index 0 (background) is never kept. */
    private static boolean[] keptComponents(Components c) {
        boolean[] kept = new boolean[c.count + 1];
        int largest = c.largest();
        if (largest == 0) {
            return kept;
        }
        int coreMinX = Integer.MAX_VALUE;
        int coreMinY = Integer.MAX_VALUE;
        int coreMaxX = -1;
        int coreMaxY = -1;
        for (int label = 1; label <= c.count; label++) {
            if (c.area[label] >= CORE_FRACTION * c.area[largest]) {
                kept[label] = true;
                coreMinX = Math.min(coreMinX, c.minX[label]);
                coreMinY = Math.min(coreMinY, c.minY[label]);
                coreMaxX = Math.max(coreMaxX, c.maxX[label]);
                coreMaxY = Math.max(coreMaxY, c.maxY[label]);
            }
        }
        double reach = FRAGMENT_REACH * Math.max(coreMaxX - coreMinX + 1, coreMaxY - coreMinY + 1);
        for (int label = 1; label <= c.count; label++) {
            if (kept[label] || c.area[label] < FRAGMENT_FRACTION * c.area[largest]) {
                continue;
            }
            int gapX = Math.max(0, Math.max(c.minX[label] - coreMaxX, coreMinX - c.maxX[label]));
            int gapY = Math.max(0, Math.max(c.minY[label] - coreMaxY, coreMinY - c.maxY[label]));
            kept[label] = Math.max(gapX, gapY) <= reach;
        }
        return kept;
    }

    /** Square dilation, done as a horizontal and then a vertical pass. */
    private static boolean[] grow(boolean[] mask, int width, int height, int radius) {
        boolean[] rows = new boolean[mask.length];
        for (int y = 0; y < height; y++) {
            int last = -radius - 1;
            for (int x = 0; x < width; x++) {
                if (mask[y * width + x]) {
                    last = x;
                }
                rows[y * width + x] = x - last <= radius;
            }
            last = Integer.MAX_VALUE / 2;
            for (int x = width - 1; x >= 0; x--) {
                if (mask[y * width + x]) {
                    last = x;
                }
                rows[y * width + x] |= last - x <= radius;
            }
        }
        boolean[] grown = new boolean[mask.length];
        for (int x = 0; x < width; x++) {
            int last = -radius - 1;
            for (int y = 0; y < height; y++) {
                if (rows[y * width + x]) {
                    last = y;
                }
                grown[y * width + x] = y - last <= radius;
            }
            last = Integer.MAX_VALUE / 2;
            for (int y = height - 1; y >= 0; y--) {
                if (rows[y * width + x]) {
                    last = y;
                }
                grown[y * width + x] |= last - y <= radius;
            }
        }
        return grown;
    }

    /** Connected strokes that make up the digit (specks left out). */
    int strokes() {
        return strokes;
    }

    /** Working cells covered by the digit's strokes, before they were grown. */
    int inkCells() {
        return inkCells;
    }

    boolean isNear(int cellX, int cellY) {
        return cellX >= minX && cellX <= maxX && cellY >= minY && cellY <= maxY
                && near[(cellY - minY) * width + cellX - minX];
    }

    float threshold() {
        return threshold;
    }

    /** Bounding box of the grown strokes, in working cells, inclusive. */
    int minX() {
        return minX;
    }

    int minY() {
        return minY;
    }

    int maxX() {
        return maxX;
    }

    int maxY() {
        return maxY;
    }
}
