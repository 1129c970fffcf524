package dev.digits.images;

import java.util.Arrays;

/**
 * The paper (or screen) behind the digit: a smooth surface fitted to the pixels that are not ink,
 * and which side of it the ink lies on. A quadratic surface follows the lighting gradients and
 * vignetting of phone photos, yet cannot bend into strokes, whatever their width.
 */
final class Background {

    /** Quantization alone makes this much noise; a smaller estimate would call JPEG ringing ink. */
    private static final float MIN_SIGMA = 0.004f;
    private static final int MAX_FIT_SAMPLES = 4_096;
    private static final int ITERATIONS = 4;
    private static final float TRIM_SIGMAS = 3f;

    private final double[] coefficients;
    private final int fullWidth;
    private final int fullHeight;
    private final boolean lightInk;
    private final float sigma;
    private final float meanLevel;

    private Background(double[] coefficients, int fullWidth, int fullHeight, boolean lightInk, float sigma,
            float meanLevel) {
        this.coefficients = coefficients;
        this.fullWidth = fullWidth;
        this.fullHeight = fullHeight;
        this.lightInk = lightInk;
        this.sigma = sigma;
        this.meanLevel = meanLevel;
    }

    /**
     * @param work the image downscaled by {@code factor} from {@code fullWidth}×{@code fullHeight}; the
     *     surface is expressed in full-resolution coordinates so the crop can use it too
     */
    static Background estimate(GrayImage work, int factor, int fullWidth, int fullHeight) {
        int w = work.width();
        int h = work.height();
        int stride = Math.max(1, (int) Math.round(Math.sqrt((double) w * h / MAX_FIT_SAMPLES)));
        int n = ((w + stride - 1) / stride) * ((h + stride - 1) / stride);
        float[] values = new float[n];
        double[] us = new double[n];
        double[] vs = new double[n];
        int i = 0;
        for (int y = 0; y < h; y += stride) {
            for (int x = 0; x < w; x += stride) {
                values[i] = work.at(x, y);
                us[i] = 2 * cellCentre(x, factor, fullWidth) / fullWidth - 1;
                vs[i] = 2 * cellCentre(y, factor, fullHeight) / fullHeight - 1;
                i++;
            }
        }
        int terms = Math.min(w, h) >= 12 ? 6 : 1;
        float[] border = borderValues(work);
        Arrays.sort(border);
        float median = border[border.length / 2];
        float spread = 1.4826f * medianAbsoluteDeviation(border, median);
        // The border is mostly paper, so values near its median seed the fit even when bold ink
        // covers most of a tightly cropped image.
        float tolerance = Math.max(0.1f, 3 * spread);
        boolean[] paper = new boolean[n];
        for (int k = 0; k < n; k++) {
            paper[k] = Math.abs(values[k] - median) <= tolerance;
        }
        double[] coefficients = null;
        float[] residuals = new float[n];
        float sigma = MIN_SIGMA;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            coefficients = Surface.fit(us, vs, values, paper, terms, median);
            Histogram deviations = new Histogram(4096, 0, 1);
            for (int k = 0; k < n; k++) {
                residuals[k] = values[k] - (float) Surface.evaluate(coefficients, us[k], vs[k]);
                if (paper[k]) {
                    deviations.add(Math.abs(residuals[k]));
                }
            }
            sigma = deviations.total() == 0 ? MIN_SIGMA : Math.max(MIN_SIGMA, 1.4826f * deviations.quantile(0.5));
            for (int k = 0; k < n; k++) {
                paper[k] = Math.abs(residuals[k]) <= TRIM_SIGMAS * sigma;
            }
        }
        double brighter = 0;
        double darker = 0;
        double level = 0;
        for (int k = 0; k < n; k++) {
            brighter += Math.max(0, residuals[k] - TRIM_SIGMAS * sigma);
            darker += Math.max(0, -residuals[k] - TRIM_SIGMAS * sigma);
            level += values[k] - residuals[k];
        }
        return new Background(coefficients, fullWidth, fullHeight, brighter > darker, sigma, (float) (level / n));
    }

    /** Centre of a working cell in full-resolution pixel units; edge cells may be narrower. */
    static double cellCentre(int cell, int factor, int fullSize) {
        int start = cell * factor;
        return start + Math.min(factor, fullSize - start) / 2.0;
    }

    /** Background brightness at a full-resolution point (pixel {@code k}'s centre is {@code k + 0.5}). */
    double at(double x, double y) {
        return Surface.evaluate(coefficients, 2 * x / fullWidth - 1, 2 * y / fullHeight - 1);
    }

    /**
     * How strongly a pixel is ink, 0 for paper. Dark ink is measured relative to the paper's
     * brightness, because light falls on ink and paper alike: a shadow halves both.
     */
    float ink(float gray, double background) {
        if (lightInk) {
            return (float) (gray - background);
        }
        return (float) ((background - gray) / Math.max(background, 0.1));
    }

    /** The paper's noise in {@link #ink} units, at the resolution the background was estimated on. */
    float inkNoise() {
        return lightInk ? sigma : sigma / Math.max(meanLevel, 0.1f);
    }

    /** {@link #ink} of every working cell, clamped to [0, 1]. */
    float[] inkMap(GrayImage work, int factor) {
        float[] ink = new float[work.width() * work.height()];
        for (int y = 0; y < work.height(); y++) {
            double cy = cellCentre(y, factor, fullHeight);
            for (int x = 0; x < work.width(); x++) {
                float value = ink(work.at(x, y), at(cellCentre(x, factor, fullWidth), cy));
                ink[y * work.width() + x] = Math.max(0, Math.min(1, value));
            }
        }
        return ink;
    }

    private static float[] borderValues(GrayImage work) {
        int w = work.width();
        int h = work.height();
        int ring = Math.max(1, Math.min(w, h) / 32);
        int inner = Math.max(0, w - 2 * ring) * Math.max(0, h - 2 * ring);
        float[] values = new float[w * h - inner];
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (x < ring || y < ring || x >= w - ring || y >= h - ring) {
                    values[n++] = work.at(x, y);
                }
            }
        }
        return values;
    }

    private static float medianAbsoluteDeviation(float[] values, float median) {
        float[] deviations = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            deviations[i] = Math.abs(values[i] - median);
        }
        Arrays.sort(deviations);
        return deviations[deviations.length / 2];
    }
}
