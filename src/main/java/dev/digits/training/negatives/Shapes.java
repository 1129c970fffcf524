package dev.digits.training.negatives;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.Random;

/**
 * Drawn shapes. Never a bare ellipse (a 0) or a lone line (a 1): circles carry a cross or a face,
 * squares a diagonal, an inner square or a fill, and the smiley's eyes are made big enough that
 * the preprocessing keeps them (it drops pieces under a tenth of the biggest stroke as specks).
 */
final class Shapes implements Drawing {

    enum Kind { CROSSED_CIRCLE, SQUARE, TRIANGLE, STAR, SMILEY, GRID, HEART, SUN }

    @Override
    public void draw(Page page, Random random) {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        Rectangle2D box = page.box(random);
        BasicStroke pen = Page.pen(box.getWidth() * 0.7, random);
        Graphics2D g = page.graphics();
        try {
            g.setStroke(pen);
            g.rotate(random.nextDouble() * 2 * Math.PI, box.getCenterX(), box.getCenterY());
            // Shapes are drawn in a unit box; the pen keeps its width because only the path is scaled.
            AffineTransform toBox = new AffineTransform();
            double inset = pen.getLineWidth() / 2 + box.getWidth() * 0.15;
            toBox.translate(box.getX() + inset, box.getY() + inset);
            toBox.scale(box.getWidth() - 2 * inset, box.getHeight() - 2 * inset);
            Outline outline = switch (kind) {
                case CROSSED_CIRCLE -> crossedCircle(random);
                case SQUARE -> square(random);
                case TRIANGLE -> triangle(random);
                case STAR -> star(random);
                case SMILEY -> smiley(random, pen.getLineWidth() / (box.getWidth() - 2 * inset));
                case GRID -> grid(random);
                case HEART -> heart(random);
                case SUN -> sun(random);
            };
            if (outline.fill() != null) {
                g.fill(toBox.createTransformedShape(outline.fill()));
            }
            if (outline.lines() != null) {
                g.draw(toBox.createTransformedShape(outline.lines()));
            }
        } finally {
            g.dispose();
        }
    }

    /** What to fill and what to trace with the pen, in the unit box; either may be null. */
    private record Outline(Shape fill, Shape lines) {
    }

    /** ⊕ or ⊗: two lines, since a circle with one slash is how many people write zero. */
    private static Outline crossedCircle(Random random) {
        Path2D path = new Path2D.Double(new Ellipse2D.Double(0, 0, 1, 1));
        double turn = random.nextBoolean() ? 0 : Math.PI / 4;
        double reach = random.nextBoolean() ? 0.5 : 0.62;
        for (int i = 0; i < 2; i++) {
            double a = turn + i * Math.PI / 2;
            path.append(new Line2D.Double(0.5 - reach * Math.cos(a), 0.5 - reach * Math.sin(a),
                    0.5 + reach * Math.cos(a), 0.5 + reach * Math.sin(a)), false);
        }
        return new Outline(null, path);
    }

    private static Outline square(Random random) {
        double height = 0.7 + 0.3 * random.nextDouble();
        Rectangle2D square = new Rectangle2D.Double(0, (1 - height) / 2, 1, height);
        int decoration = random.nextInt(4);
        if (decoration == 0) {
            return new Outline(square, null);
        }
        Path2D path = new Path2D.Double(square);
        double top = square.getMinY();
        double bottom = square.getMaxY();
        if (decoration == 1) {
            path.append(new Line2D.Double(0, top, 1, bottom), false);
            path.append(new Line2D.Double(1, top, 0, bottom), false);
        } else if (decoration == 2) {
            path.append(new Rectangle2D.Double(0.3, top + 0.3 * height, 0.4, 0.4 * height), false);
        } else {
            path.append(new Line2D.Double(0.5, top, 0.5, bottom), false);
            path.append(new Line2D.Double(0, (top + bottom) / 2, 1, (top + bottom) / 2), false);
        }
        return new Outline(null, path);
    }

    private static Outline triangle(Random random) {
        Path2D path = new Path2D.Double();
        path.moveTo(0.5 + 0.3 * (random.nextDouble() - 0.5), 0);
        path.lineTo(1, 0.85 + 0.15 * random.nextDouble());
        path.lineTo(0, 0.85 + 0.15 * random.nextDouble());
        path.closePath();
        return random.nextInt(3) == 0 ? new Outline(path, null) : new Outline(null, path);
    }

    /** Five to eight points; a five-pointed one is sometimes drawn as a pentagram, in one stroke. */
    private static Outline star(Random random) {
        int points = 5 + random.nextInt(4);
        Path2D path = new Path2D.Double();
        if (points == 5 && random.nextBoolean()) {
            for (int i = 0; i < 5; i++) {
                double a = -Math.PI / 2 + i * 4 * Math.PI / 5;
                point(path, i == 0, 0.5 + 0.5 * Math.cos(a), 0.5 + 0.5 * Math.sin(a));
            }
        } else {
            double inner = 0.2 + 0.15 * random.nextDouble();
            for (int i = 0; i < 2 * points; i++) {
                double a = -Math.PI / 2 + i * Math.PI / points;
                double r = i % 2 == 0 ? 0.5 : inner;
                point(path, i == 0, 0.5 + r * Math.cos(a), 0.5 + r * Math.sin(a));
            }
        }
        path.closePath();
        return random.nextInt(3) == 0 ? new Outline(path, null) : new Outline(null, path);
    }

    /** A face: the eyes' area is at least a fifth of the ring's, so neither is dropped as a speck. */
    private static Outline smiley(Random random, double pen) {
        Path2D lines = new Path2D.Double(new Ellipse2D.Double(0, 0, 1, 1));
        switch (random.nextInt(3)) {
            case 0 -> lines.append(new Line2D.Double(0.3, 0.72, 0.7, 0.72), false);
            case 1 -> lines.append(new Arc2D.Double(0.25, 0.4, 0.5, 0.4, 200, 140, Arc2D.OPEN), false);
            default -> lines.append(new Arc2D.Double(0.25, 0.62, 0.5, 0.4, 20, 140, Arc2D.OPEN), false);
        }
        double eye = Math.max(0.07, Math.sqrt(0.4 * 0.5 * pen)) * (1 + 0.3 * random.nextDouble());
        Path2D eyes = new Path2D.Double();
        eyes.append(new Ellipse2D.Double(0.33 - eye, 0.35 - eye, 2 * eye, 2.4 * eye), false);
        eyes.append(new Ellipse2D.Double(0.67 - eye, 0.35 - eye, 2 * eye, 2.4 * eye), false);
        return new Outline(eyes, lines);
    }

    /** Tic-tac-toe or a full grid, two to four lines each way. */
    private static Outline grid(Random random) {
        Path2D path = new Path2D.Double();
        boolean closed = random.nextBoolean();
        int lines = 2 + random.nextInt(3);
        for (int i = closed ? 0 : 1; i <= lines; i++) {
            double t = closed ? (double) i / lines : (double) i / (lines + 1);
            path.append(new Line2D.Double(t, 0, t, 1), false);
            path.append(new Line2D.Double(0, t, 1, t), false);
        }
        return new Outline(null, path);
    }

    private static Outline heart(Random random) {
        Path2D path = new Path2D.Double();
        path.moveTo(0.5, 1);
        path.curveTo(0.1, 0.7, -0.1, 0.3, 0.2, 0.1);
        path.curveTo(0.35, 0, 0.48, 0.1, 0.5, 0.25);
        path.curveTo(0.52, 0.1, 0.65, 0, 0.8, 0.1);
        path.curveTo(1.1, 0.3, 0.9, 0.7, 0.5, 1);
        path.closePath();
        return random.nextBoolean() ? new Outline(path, null) : new Outline(null, path);
    }

    /** A disc or ring with six to twelve rays. */
    private static Outline sun(Random random) {
        int rays = 6 + random.nextInt(7);
        double r = 0.2 + 0.1 * random.nextDouble();
        Path2D rayLines = new Path2D.Double();
        for (int i = 0; i < rays; i++) {
            double a = i * 2 * Math.PI / rays;
            rayLines.append(new Line2D.Double(0.5 + (r + 0.05) * Math.cos(a), 0.5 + (r + 0.05) * Math.sin(a),
                    0.5 + 0.5 * Math.cos(a), 0.5 + 0.5 * Math.sin(a)), false);
        }
        Ellipse2D disc = new Ellipse2D.Double(0.5 - r, 0.5 - r, 2 * r, 2 * r);
        if (random.nextBoolean()) {
            return new Outline(disc, rayLines);
        }
        rayLines.append(disc, false);
        return new Outline(null, rayLines);
    }

    private static void point(Path2D path, boolean first, double x, double y) {
        if (first) {
            path.moveTo(x, y);
        } else {
            path.lineTo(x, y);
        }
    }
}
