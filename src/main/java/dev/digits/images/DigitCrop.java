package dev.digits.images;

/**
 * The digit cut out of the full-resolution image as ink strength in [0, 1], paper exactly 0 and
 * strong strokes 1 as in MNIST, tightly bounded by its non-zero pixels. The working grid only
 * says where to look; the pixels come from full resolution so small digits keep their detail.
 */
record DigitCrop(int width, int height, float[] values) {

    /** Paper noise above this many deviations is vanishingly rare; ink below it is invisible anyway. */
    private static final float NOISE_SIGMAS = 4f;
    /** The stroke level that maps to full ink: high, but robust to a few saturated pixels. */
    private static final double STROKE_QUANTILE = 0.9;
    private static final int MIN_NOISE_SAMPLES = 64;

    /** @return the crop, or null if no ink is left once noise is removed */
    static DigitCrop extract(GrayImage gray, Background background, InkRegion region, int factor) {
        int x0 = region.minX() * factor;
        int y0 = region.minY() * factor;
        int x1 = Math.min(gray.width(), (region.maxX() + 1) * factor);
        int y1 = Math.min(gray.height(), (region.maxY() + 1) * factor);
        int w = x1 - x0;
        int h = y1 - y0;
        float[] ink = new float[w * h];
        boolean[] near = new boolean[w * h];
        Histogram paper = new Histogram(2048, -0.5f, 0.5f);
        Histogram strokes = new Histogram(1024, 0, 1);
        float max = 0;
        for (int y = 0; y < h; y++) {
            double by = y0 + y + 0.5;
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                ink[i] = background.ink(gray.at(x0 + x, y0 + y), background.at(x0 + x + 0.5, by));
                near[i] = region.isNear((x0 + x) / factor, (y0 + y) / factor);
                if (!near[i]) {
                    paper.add(ink[i]);
                } else if (ink[i] >= region.threshold()) {
                    strokes.add(ink[i]);
                    max = Math.max(max, ink[i]);
                }
            }
        }
        float floor = noiseFloor(paper, background.inkNoise() * factor);
        // Never cut into what the working grid already called ink.
        floor = Math.max(0, Math.min(floor, region.threshold() / 2));
        float level = strokes.total() == 0 ? max : strokes.quantile(STROKE_QUANTILE);
        float range = Math.max(level - floor, 0.05f);
        int minX = w;
        int minY = h;
        int maxX = -1;
        int maxY = -1;
        for (int i = 0; i < ink.length; i++) {
            float value = near[i] ? Math.min(1, (ink[i] - floor) / range) : 0;
            ink[i] = Math.max(0, value);
            if (ink[i] > 0) {
                minX = Math.min(minX, i % w);
                minY = Math.min(minY, i / w);
                maxX = Math.max(maxX, i % w);
                maxY = Math.max(maxY, i / w);
            }
        }
        if (maxX < 0) {
            return null;
        }
        int cw = maxX - minX + 1;
        int ch = maxY - minY + 1;
        float[] tight = new float[cw * ch];
        for (int y = 0; y < ch; y++) {
            System.arraycopy(ink, (minY + y) * w + minX, tight, y * cw, cw);
        }
        return new DigitCrop(cw, ch, tight);
    }

    /**
     * Measured on the paper around the digit at full resolution, where noise is stronger than on the
     * averaged working grid; {@code fallback} serves when the digit leaves too little paper in view.
     */
    private static float noiseFloor(Histogram paper, float fallback) {
        if (paper.total() < MIN_NOISE_SAMPLES) {
            return NOISE_SIGMAS * fallback;
        }
        float median = paper.quantile(0.5);
        float lower = paper.quantile(0.25);
        float upper = paper.quantile(0.75);
        // The interquartile range is 1.349 σ for Gaussian noise.
        float sigma = (upper - lower) / 1.349f;
        return median + NOISE_SIGMAS * sigma;
    }
}
