package dev.digits.images;

/**
 * Counts of values over a fixed range. Quantiles from a histogram cost one pass, where sorting the
 * tens of thousands of pixels of every request would dominate the preprocessing time.
 */
final class Histogram {

    private final int[] counts;
    private final float min;
    private final float binWidth;
    private int total;

    Histogram(int bins, float min, float max) {
        this.counts = new int[bins];
        this.min = min;
        this.binWidth = (max - min) / bins;
    }

    /** Values outside the range count in the first or last bin. */
    void add(float value) {
        int bin = (int) ((value - min) / binWidth);
        counts[Math.max(0, Math.min(counts.length - 1, bin))]++;
        total++;
    }

    int total() {
        return total;
    }

    /** The value below which a fraction {@code q} of the values lie, interpolated inside its bin. */
    float quantile(double q) {
        if (total == 0) {
            return Float.NaN;
        }
        double target = q * total;
        long seen = 0;
        for (int bin = 0; bin < counts.length; bin++) {
            if (counts[bin] > 0 && seen + counts[bin] >= target) {
                double within = (target - seen) / counts[bin];
                return (float) (min + (bin + within) * binWidth);
            }
            seen += counts[bin];
        }
        return min + counts.length * binWidth;
    }

    /** Otsu's threshold: the cut that maximizes the variance between the two classes it makes. */
    float otsuThreshold() {
        double sumAll = 0;
        for (int bin = 0; bin < counts.length; bin++) {
            sumAll += (double) bin * counts[bin];
        }
        double sumBelow = 0;
        long below = 0;
        double best = -1;
        int cut = 0;
        for (int bin = 0; bin < counts.length - 1; bin++) {
            below += counts[bin];
            sumBelow += (double) bin * counts[bin];
            long above = total - below;
            if (below == 0 || above == 0) {
                continue;
            }
            double meanBelow = sumBelow / below;
            double meanAbove = (sumAll - sumBelow) / above;
            double between = (double) below * above * (meanBelow - meanAbove) * (meanBelow - meanAbove);
            if (between > best) {
                best = between;
                cut = bin;
            }
        }
        return min + (cut + 1) * binWidth;
    }
}
