package dev.digits.images;

/** Brightness in [0, 1] (1 = white), row-major. */
record GrayImage(int width, int height, float[] values) {

    GrayImage {
        if (values.length != width * height) {
            throw new IllegalArgumentException(values.length + " values for " + width + "×" + height);
        }
    }

    float at(int x, int y) {
        return values[y * width + x];
    }

    /** Averages {@code factor}×{@code factor} blocks; edge blocks average the pixels they have. */
    GrayImage downscale(int factor) {
        if (factor == 1) {
            return this;
        }
        int w = (width + factor - 1) / factor;
        int h = (height + factor - 1) / factor;
        float[] sums = new float[w * h];
        for (int y = 0; y < height; y++) {
            int row = (y / factor) * w;
            int base = y * width;
            for (int x = 0; x < width; x++) {
                sums[row + x / factor] += values[base + x];
            }
        }
        for (int cy = 0; cy < h; cy++) {
            int rows = Math.min(factor, height - cy * factor);
            for (int cx = 0; cx < w; cx++) {
                int columns = Math.min(factor, width - cx * factor);
                sums[cy * w + cx] /= rows * columns;
            }
        }
        return new GrayImage(w, h, sums);
    }
}
