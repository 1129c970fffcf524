package dev.digits.training.negatives;

import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.Random;

/**
 * Repeating patterns cut to a rectangle or an ellipse, or spread over the whole page: stripes,
 * checkerboards, dots, wavy grain and bricks, at least four repeats across so that no single
 * stripe or wave can be taken for a 1 or a 2; a noisy gradient; specks on grainy paper.
 */
final class Textures implements Drawing {

    enum Kind { STRIPES, CHECKERBOARD, DOTS, GRAIN, BRICKS, NOISY_GRADIENT, SPECKS }

    @Override
    public void draw(Page page, Random random) {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        if (kind == Kind.SPECKS) {
            specks(page, random);
            return;
        }
        // A gradient over the whole page is lighting to the preprocessing, which fits it away.
        Rectangle2D box = random.nextInt(4) == 0 && kind != Kind.NOISY_GRADIENT
                ? new Rectangle2D.Double(0, 0, page.width(), page.height())
                : page.box(random);
        Shape region = random.nextBoolean() ? box : new Ellipse2D.Double(box.getX(), box.getY(), box.getWidth(), box.getHeight());
        if (kind == Kind.NOISY_GRADIENT) {
            noisyGradient(page, region, random);
            return;
        }
        double side = Math.min(box.getWidth(), box.getHeight());
        double period = side * (0.08 + 0.12 * random.nextDouble());
        Graphics2D g = page.graphics();
        try {
            g.clip(region);
            g.rotate(random.nextDouble() * Math.PI, box.getCenterX(), box.getCenterY());
            // Pattern coordinates: a square around the box that still covers it once turned.
            double reach = Math.hypot(box.getWidth(), box.getHeight()) / 2 + period;
            Rectangle2D cover = new Rectangle2D.Double(box.getCenterX() - reach, box.getCenterY() - reach, 2 * reach, 2 * reach);
            switch (kind) {
                case STRIPES -> stripes(g, cover, period, random);
                case CHECKERBOARD -> checkerboard(g, cover, period);
                case DOTS -> dots(g, cover, period, random);
                case GRAIN -> grain(g, cover, period, random);
                case BRICKS -> bricks(g, cover, period, random);
                default -> throw new IllegalStateException(kind.name());
            }
        } finally {
            g.dispose();
        }
    }

    private static void stripes(Graphics2D g, Rectangle2D cover, double period, Random random) {
        double width = period * (0.3 + 0.3 * random.nextDouble());
        for (double y = cover.getY(); y < cover.getMaxY(); y += period) {
            g.fill(new Rectangle2D.Double(cover.getX(), y, cover.getWidth(), width));
        }
    }

    private static void checkerboard(Graphics2D g, Rectangle2D cover, double cell) {
        int row = 0;
        for (double y = cover.getY(); y < cover.getMaxY(); y += cell, row++) {
            int column = 0;
            for (double x = cover.getX(); x < cover.getMaxX(); x += cell, column++) {
                if ((row + column) % 2 == 0) {
                    g.fill(new Rectangle2D.Double(x, y, cell, cell));
                }
            }
        }
    }

    private static void dots(Graphics2D g, Rectangle2D cover, double period, Random random) {
        double r = period * (0.2 + 0.15 * random.nextDouble());
        boolean staggered = random.nextBoolean();
        int row = 0;
        for (double y = cover.getY(); y < cover.getMaxY(); y += period, row++) {
            double shift = staggered && row % 2 == 1 ? period / 2 : 0;
            for (double x = cover.getX() + shift; x < cover.getMaxX(); x += period) {
                g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
            }
        }
    }

    /** Wavy parallel lines, like wood grain or a finger painting. */
    private static void grain(Graphics2D g, Rectangle2D cover, double period, Random random) {
        g.setStroke(Page.pen(period * (0.2 + 0.3 * random.nextDouble())));
        double amplitude = period * (0.3 + 0.7 * random.nextDouble());
        double wavelength = period * (3 + 4 * random.nextDouble());
        for (double y = cover.getY(); y < cover.getMaxY(); y += period) {
            Path2D line = new Path2D.Double();
            line.moveTo(cover.getX(), y);
            for (double x = cover.getX(); x <= cover.getMaxX(); x += 2) {
                line.lineTo(x, y + amplitude * Math.sin(2 * Math.PI * x / wavelength));
            }
            g.draw(line);
        }
    }

    private static void bricks(Graphics2D g, Rectangle2D cover, double period, Random random) {
        g.setStroke(Page.pen(period * (0.1 + 0.15 * random.nextDouble())));
        double length = period * (1.5 + random.nextDouble());
        int row = 0;
        for (double y = cover.getY(); y < cover.getMaxY(); y += period, row++) {
            g.draw(new Line2D.Double(cover.getX(), y, cover.getMaxX(), y));
            double shift = row % 2 == 0 ? 0 : length / 2;
            for (double x = cover.getX() + shift; x < cover.getMaxX(); x += length) {
                g.draw(new Line2D.Double(x, y, x, y + period));
            }
        }
    }

    /** Ink rising across the region from none to strong, with per-pixel noise on top. */
    private static void noisyGradient(Page page, Shape region, Random random) {
        Rectangle2D box = region.getBounds2D();
        double angle = random.nextDouble() * 2 * Math.PI;
        double dx = Math.cos(angle);
        double dy = Math.sin(angle);
        double half = (Math.abs(dx) * box.getWidth() + Math.abs(dy) * box.getHeight()) / 2;
        double top = 0.6 + 0.4 * random.nextDouble();
        double sigma = 0.05 + 0.15 * random.nextDouble();
        Grain grain = Grain.random(random);
        byte[] pixels = page.pixels();
        for (int y = (int) box.getY(); y < (int) box.getMaxY(); y++) {
            for (int x = (int) box.getX(); x < (int) box.getMaxX(); x++) {
                if (!region.contains(x + 0.5, y + 0.5)) {
                    continue;
                }
                double t = ((x - box.getCenterX()) * dx + (y - box.getCenterY()) * dy) / half / 2 + 0.5;
                int i = y * page.width() + x;
                double value = top * t + sigma * grain.gaussian(i);
                pixels[i] = (byte) Math.round(255 * Math.max(0, Math.min(1, value)));
            }
        }
    }

    /**
     * Paper with grain too faint to be ink and 15–60 specks of dirt or spattered ink over the whole
     * page, big enough to show at 28×28, of sizes within a factor of two so the preprocessing keeps
     * them all rather than one.
     */
    private static void specks(Page page, Random random) {
        byte[] pixels = page.pixels();
        double strength = 0.03 * random.nextDouble();
        Grain grain = Grain.random(random);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) Math.round(255 * strength * grain.uniform(i));
        }
        int count = 15 + random.nextInt(46);
        double base = 3 + 4 * random.nextDouble();
        Graphics2D g = page.graphics();
        try {
            for (int i = 0; i < count; i++) {
                double r = base * (1 + random.nextDouble());
                double w = r * (0.7 + 0.6 * random.nextDouble());
                double x = page.width() * random.nextDouble();
                double y = page.height() * random.nextDouble();
                g.fill(new Ellipse2D.Double(x - w, y - r, 2 * w, 2 * r));
            }
        } finally {
            g.dispose();
        }
    }
}
