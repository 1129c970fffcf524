package dev.digits.training.negatives;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.Random;

/**
 * Pen strokes with no digit in them. Each kind is made long or busy enough that it cannot be one
 * stroke of a digit: a scribble turns twenty times or more, a zig-zag has at least five corners, a spiral
 * at least two and a half turns, a random polyline at least eight points, a wave two and a half periods.
 */
final class Strokes implements Drawing {

    enum Kind { SCRIBBLE, ZIGZAG, SPIRAL, POLYLINE, HATCHING, COIL, WAVE }

    @Override
    public void draw(Page page, Random random) {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        Rectangle2D box = page.box(random);
        double side = box.getWidth();
        Figure figure = switch (kind) {
            case SCRIBBLE -> scribble(random);
            case ZIGZAG -> zigzag(random);
            case SPIRAL -> spiral(random);
            case POLYLINE -> polyline(random);
            case HATCHING -> hatching(random);
            case COIL -> coil(random);
            case WAVE -> wave(random);
        };
        Graphics2D g = page.graphics();
        try {
            BasicStroke pen = Page.pen(side, random);
            // Half the gap between neighbouring lines at most, or spirals and hatching fill in solid.
            double widest = 0.5 * figure.gap() * side / Math.sqrt(2);
            g.setStroke(pen.getLineWidth() > widest ? Page.pen(widest) : pen);
            g.draw(fit(figure.path(), box, random.nextDouble() * 2 * Math.PI));
        } finally {
            g.dispose();
        }
    }

    /** A path in the unit square, and the smallest gap between its neighbouring lines there. */
    private record Figure(Path2D path, double gap) {

        Figure(Path2D path) {
            this(path, Double.POSITIVE_INFINITY);
        }
    }

    /** Scales a path drawn in the unit square into the box, turned by {@code angle} about its centre. */
    static Shape fit(Path2D path, Rectangle2D box, double angle) {
        AffineTransform transform = new AffineTransform();
        transform.translate(box.getCenterX(), box.getCenterY());
        transform.rotate(angle);
        // A turned unit square still fits the box when scaled by 1/√2.
        transform.scale(box.getWidth() / Math.sqrt(2), box.getHeight() / Math.sqrt(2));
        transform.translate(-0.5, -0.5);
        return transform.createTransformedShape(path);
    }

    /**
     * A tangle: a smoothed random walk that turns sharply and often, staying inside the unit square.
     * A short one can close into a loop with a tail, a 6 or a 9, so it runs for 20 to 40 steps.
     */
    private static Figure scribble(Random random) {
        int points = 20 + random.nextInt(21);
        double x = 0.2 + 0.6 * random.nextDouble();
        double y = 0.2 + 0.6 * random.nextDouble();
        double heading = random.nextDouble() * 2 * Math.PI;
        double[] xs = new double[points];
        double[] ys = new double[points];
        for (int i = 0; i < points; i++) {
            xs[i] = x;
            ys[i] = y;
            heading += (random.nextDouble() - 0.5) * Math.PI * 1.6;
            double step = 0.12 + 0.2 * random.nextDouble();
            x += step * Math.cos(heading);
            y += step * Math.sin(heading);
            if (x < 0 || x > 1) {
                x = Math.max(0, Math.min(1, x));
                heading = Math.PI - heading;
            }
            if (y < 0 || y > 1) {
                y = Math.max(0, Math.min(1, y));
                heading = -heading;
            }
        }
        Path2D path = new Path2D.Double();
        path.moveTo(xs[0], ys[0]);
        for (int i = 1; i < points - 1; i++) {
            path.quadTo(xs[i], ys[i], (xs[i] + xs[i + 1]) / 2, (ys[i] + ys[i + 1]) / 2);
        }
        path.lineTo(xs[points - 1], ys[points - 1]);
        return new Figure(path);
    }

    private static Figure zigzag(Random random) {
        int segments = 6 + random.nextInt(6);
        double amplitude = 0.5 + 0.5 * random.nextDouble();
        Path2D path = new Path2D.Double();
        for (int i = 0; i <= segments; i++) {
            double x = (double) i / segments;
            double y = 0.5 + (i % 2 == 0 ? -0.5 : 0.5) * amplitude + 0.1 * (random.nextDouble() - 0.5);
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        return new Figure(path, 1.0 / segments);
    }

    /** Archimedean, or square when {@code random} says so; two and a half to five turns. */
    private static Figure spiral(Random random) {
        double turns = 2.5 + 2.5 * random.nextDouble();
        boolean square = random.nextInt(4) == 0;
        int steps = square ? (int) Math.ceil(turns * 4) : (int) (turns * 48);
        double direction = random.nextBoolean() ? 1 : -1;
        Path2D path = new Path2D.Double();
        path.moveTo(0.5, 0.5);
        for (int i = 1; i <= steps; i++) {
            double t = (double) i / steps;
            double angle = direction * t * turns * 2 * Math.PI;
            double radius = 0.5 * t;
            path.lineTo(0.5 + radius * Math.cos(angle), 0.5 + radius * Math.sin(angle));
        }
        return new Figure(path, 0.5 / turns);
    }

    private static Figure polyline(Random random) {
        int points = 8 + random.nextInt(6);
        Path2D path = new Path2D.Double();
        path.moveTo(random.nextDouble(), random.nextDouble());
        for (int i = 1; i < points; i++) {
            path.lineTo(random.nextDouble(), random.nextDouble());
        }
        return new Figure(path);
    }

    /** Four to eight parallel lines, crossed by a second set at 45–90° more often than not. */
    private static Figure hatching(Random random) {
        Path2D path = new Path2D.Double();
        int lines = 4 + random.nextInt(5);
        addLines(path, lines, 0, random);
        if (random.nextInt(3) > 0) {
            double angle = Math.toRadians(45 + 45 * random.nextDouble());
            int crossing = 4 + random.nextInt(5);
            addLines(path, crossing, angle, random);
            lines = Math.max(lines, crossing);
        }
        return new Figure(path, 1.0 / lines);
    }

    private static void addLines(Path2D path, int lines, double angle, Random random) {
        Path2D set = new Path2D.Double();
        for (int i = 0; i < lines; i++) {
            double y = (i + 0.5) / lines + 0.04 * (random.nextDouble() - 0.5);
            set.moveTo(0.05 * random.nextDouble(), y);
            set.lineTo(1 - 0.05 * random.nextDouble(), y + 0.08 * (random.nextDouble() - 0.5));
        }
        path.append(set.createTransformedShape(AffineTransform.getRotateInstance(angle, 0.5, 0.5)), false);
    }

    /** Loops along a line, like a telephone cord or cursive {@code ellll}: three to six loops. */
    private static Figure coil(Random random) {
        int loops = 3 + random.nextInt(4);
        double radius = 0.5 / (loops + 1) * (1.2 + 0.6 * random.nextDouble());
        double height = 0.3 + 0.3 * random.nextDouble();
        Path2D path = new Path2D.Double();
        int steps = loops * 32;
        for (int i = 0; i <= steps; i++) {
            double t = (double) i / steps * loops * 2 * Math.PI;
            double x = 0.1 + 0.8 * (double) i / steps - radius * Math.sin(t);
            double y = 0.5 + height * Math.cos(t) / 2;
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        return new Figure(path, 0.8 / loops);
    }

    private static Figure wave(Random random) {
        double periods = 2.5 + 2.5 * random.nextDouble();
        double amplitude = 0.1 + 0.3 * random.nextDouble();
        Path2D path = new Path2D.Double();
        for (int i = 0; i <= 96; i++) {
            double x = i / 96.0;
            double y = 0.5 + amplitude * Math.sin(x * periods * 2 * Math.PI);
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        return new Figure(path);
    }
}
