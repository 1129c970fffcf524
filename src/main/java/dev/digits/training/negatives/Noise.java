package dev.digits.training.negatives;

import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.Random;

/**
 * Noise, made to survive the preprocessing: noise over the whole page is paper to it (its
 * background fit takes the noise for paper grain, and the image is blank), so the noise here is a
 * patch on clean paper, scattered specks, or blobs. Dots and blobs are kept within a factor of a
 * few in size, or the preprocessing would drop all but the biggest and leave one blob.
 */
final class Noise implements Drawing {

    enum Kind { UNIFORM_PATCH, GAUSSIAN_PATCH, SALT_AND_PEPPER, BLOBS, ISLANDS }

    @Override
    public void draw(Page page, Random random) {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        Rectangle2D box = page.box(random);
        switch (kind) {
            case UNIFORM_PATCH, GAUSSIAN_PATCH -> patch(page, box, kind == Kind.GAUSSIAN_PATCH, random);
            case SALT_AND_PEPPER -> saltAndPepper(page, box, random);
            case BLOBS -> blobs(page, box, random);
            case ISLANDS -> islands(page, box, random);
        }
    }

    /** A rectangle or ellipse of per-pixel noise. */
    private static void patch(Page page, Rectangle2D box, boolean gaussian, Random random) {
        boolean ellipse = random.nextBoolean();
        double aspect = 0.6 + 0.4 * random.nextDouble();
        boolean wide = random.nextBoolean();
        double w = box.getWidth() * (wide ? 1 : aspect);
        double h = box.getHeight() * (wide ? aspect : 1);
        double mean = 0.3 + 0.4 * random.nextDouble();
        Grain grain = Grain.random(random);
        byte[] pixels = page.pixels();
        for (int y = (int) box.getY(); y < (int) (box.getY() + h); y++) {
            for (int x = (int) box.getX(); x < (int) (box.getX() + w); x++) {
                double u = (x - box.getX()) / w - 0.5;
                double v = (y - box.getY()) / h - 0.5;
                if (ellipse && u * u + v * v > 0.25) {
                    continue;
                }
                int i = y * page.width() + x;
                double value = gaussian ? mean + 0.25 * grain.gaussian(i) : grain.uniform(i);
                pixels[i] = (byte) Math.round(255 * Math.max(0, Math.min(1, value)));
            }
        }
    }

    /** Specks of one to three times a base size, sparse or dense. */
    private static void saltAndPepper(Page page, Rectangle2D box, Random random) {
        double base = 1.5 + 2.5 * random.nextDouble();
        double density = 0.005 + 0.03 * random.nextDouble();
        int count = (int) Math.max(12, density * box.getWidth() * box.getHeight() / (base * base));
        Graphics2D g = page.graphics();
        try {
            for (int i = 0; i < count; i++) {
                double r = base * (1 + 2 * random.nextDouble()) / 2;
                double x = box.getX() + box.getWidth() * random.nextDouble();
                double y = box.getY() + box.getHeight() * random.nextDouble();
                g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
            }
        } finally {
            g.dispose();
        }
    }

    /** Three to eight roundish blobs of like size, overlapping or apart. */
    private static void blobs(Page page, Rectangle2D box, Random random) {
        int count = 3 + random.nextInt(6);
        double size = box.getWidth() * (0.12 + 0.15 * random.nextDouble());
        Graphics2D g = page.graphics();
        try {
            for (int i = 0; i < count; i++) {
                double w = size * (0.7 + 0.6 * random.nextDouble());
                double h = w * (0.7 + 0.6 * random.nextDouble());
                double x = box.getX() + (box.getWidth() - w) * random.nextDouble();
                double y = box.getY() + (box.getHeight() - h) * random.nextDouble();
                g.fill(new Ellipse2D.Double(x, y, w, h));
            }
        } finally {
            g.dispose();
        }
    }

    /**
     * Value noise: a coarse grid of random values, smoothly interpolated and cut at a level, which
     * leaves irregular islands, like stains or torn paper.
     */
    private static void islands(Page page, Rectangle2D box, Random random) {
        int cells = 4 + random.nextInt(5);
        double[] grid = new double[(cells + 1) * (cells + 1)];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = random.nextDouble();
        }
        double level = 0.5 + 0.15 * random.nextDouble();
        byte[] pixels = page.pixels();
        for (int y = (int) box.getY(); y < (int) box.getMaxY(); y++) {
            for (int x = (int) box.getX(); x < (int) box.getMaxX(); x++) {
                double u = (x - box.getX()) / box.getWidth() * cells;
                double v = (y - box.getY()) / box.getHeight() * cells;
                double value = smooth(grid, cells + 1, u, v);
                double ink = Math.max(0, Math.min(1, (value - level) * 20));
                pixels[y * page.width() + x] = (byte) Math.round(255 * ink);
            }
        }
    }

    private static double smooth(double[] grid, int side, double u, double v) {
        int x0 = Math.min(side - 2, (int) u);
        int y0 = Math.min(side - 2, (int) v);
        double fx = fade(u - x0);
        double fy = fade(v - y0);
        double top = grid[y0 * side + x0] * (1 - fx) + grid[y0 * side + x0 + 1] * fx;
        double bottom = grid[(y0 + 1) * side + x0] * (1 - fx) + grid[(y0 + 1) * side + x0 + 1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    private static double fade(double t) {
        return t * t * (3 - 2 * t);
    }
}
