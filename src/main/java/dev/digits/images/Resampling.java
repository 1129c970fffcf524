package dev.digits.images;

/**
 * Separable resizing: area averaging when shrinking (each output pixel is the mean of the input
 * area it covers, as MNIST's anti-aliasing was), bilinear when enlarging tiny inputs.
 */
final class Resampling {

    private Resampling() {
    }

    static float[] resize(float[] source, int width, int height, int targetWidth, int targetHeight) {
        Weights horizontal = Weights.of(width, targetWidth);
        Weights vertical = Weights.of(height, targetHeight);
        float[] rows = new float[targetWidth * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < targetWidth; x++) {
                float sum = 0;
                for (int k = 0; k < horizontal.count[x]; k++) {
                    sum += horizontal.weight[x][k] * source[y * width + horizontal.first[x] + k];
                }
                rows[y * targetWidth + x] = sum;
            }
        }
        float[] target = new float[targetWidth * targetHeight];
        for (int y = 0; y < targetHeight; y++) {
            for (int k = 0; k < vertical.count[y]; k++) {
                float w = vertical.weight[y][k];
                int row = (vertical.first[y] + k) * targetWidth;
                for (int x = 0; x < targetWidth; x++) {
                    target[y * targetWidth + x] += w * rows[row + x];
                }
            }
        }
        return target;
    }

    /** For each output index, the run of input indices it reads and their weights (summing to 1). */
    private static final class Weights {

        final int[] first;
        final int[] count;
        final float[][] weight;

        private Weights(int size) {
            first = new int[size];
            count = new int[size];
            weight = new float[size][];
        }

        static Weights of(int from, int to) {
            Weights weights = new Weights(to);
            for (int u = 0; u < to; u++) {
                if (to < from) {
                    weights.area(u, from, to);
                } else {
                    weights.bilinear(u, from, to);
                }
            }
            return weights;
        }

        private void area(int u, int from, int to) {
            double ratio = (double) from / to;
            double start = u * ratio;
            double end = Math.min(from, (u + 1) * ratio);
            int k0 = (int) Math.floor(start);
            int k1 = Math.min(from, (int) Math.ceil(end));
            first[u] = k0;
            count[u] = k1 - k0;
            weight[u] = new float[k1 - k0];
            for (int k = k0; k < k1; k++) {
                double overlap = Math.min(end, k + 1) - Math.max(start, k);
                weight[u][k - k0] = (float) (overlap / ratio);
            }
        }

        /** Pixel centres aligned, so equal sizes give the identity. */
        private void bilinear(int u, int from, int to) {
            double centre = Math.max(0, Math.min(from - 1, (u + 0.5) * from / to - 0.5));
            int k0 = (int) Math.floor(centre);
            double fraction = centre - k0;
            first[u] = k0;
            if (k0 + 1 < from && fraction > 0) {
                count[u] = 2;
                weight[u] = new float[] {(float) (1 - fraction), (float) fraction};
            } else {
                count[u] = 1;
                weight[u] = new float[] {1f};
            }
        }
    }
}
