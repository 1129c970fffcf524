package dev.digits.training.negatives;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Random;

/**
 * A client-sized picture (200–320 px a side, as web canvases are; the preprocessing costs more than
 * all the drawing, and grows with the pixels) while it is being drawn: the drawing is made as ink
 * coverage (0 paper, 255 full ink) and only then {@link Presentation presented} as a canvas, paper
 * or photo, so every family meets every kind of client image.
 */
final class Page {

    static final int MIN_SIDE = 200;
    static final int MAX_SIDE = 320;

    private final BufferedImage coverage;

    private Page(int width, int height) {
        coverage = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    }

    static Page random(Random random) {
        return new Page(MIN_SIDE + random.nextInt(MAX_SIDE - MIN_SIDE + 1), MIN_SIDE + random.nextInt(MAX_SIDE - MIN_SIDE + 1));
    }

    int width() {
        return coverage.getWidth();
    }

    int height() {
        return coverage.getHeight();
    }

    /** Anti-aliased, drawing full ink with a round pen, as a finger or a felt pen would. */
    Graphics2D graphics() {
        Graphics2D g = coverage.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(Color.WHITE);
        return g;
    }

    /**
     * Where the drawing goes: a square whose side is {@code 0.35–0.9} of the page's shorter side,
     * anywhere on the page, as digits are drawn big or small, centred or not.
     */
    Rectangle2D box(Random random) {
        double side = (0.35 + 0.55 * random.nextDouble()) * Math.min(width(), height());
        double x = (width() - side) * random.nextDouble();
        double y = (height() - side) * random.nextDouble();
        return new Rectangle2D.Double(x, y, side, side);
    }

    /** Coverage values, row-major; writable, for the families that make their pixels themselves. */
    byte[] pixels() {
        return ((DataBufferByte) coverage.getRaster().getDataBuffer()).getData();
    }

    BufferedImage present(Random random) {
        return Presentation.present(pixels(), width(), height(), random);
    }

    /** A round pen whose width is a share ({@code 3–11 %}) of {@code side}, about MNIST's range of strokes. */
    static BasicStroke pen(double side, Random random) {
        return pen(side * (0.03 + 0.08 * random.nextDouble()));
    }

    static BasicStroke pen(double width) {
        return new BasicStroke((float) Math.max(1.5, width), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }
}
