package dev.digits.training.negatives;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Draws one glyph of a font as a pen would: its outline filled, scaled into the page's box,
 * slanted and turned a little, and sometimes traced with a round pen to make its strokes bolder.
 */
final class Glyphs implements Drawing {

    private static final FontRenderContext CONTEXT = new FontRenderContext(null, true, true);
    private static final float DESIGN_SIZE = 100f;

    private final List<String> glyphs;
    private final double maxTurn;
    /** Per glyph, the outlines of the fonts that can display it: fonts are slow to ask, outlines cheap to reuse. */
    private final Map<String, List<Shape>> outlines = new ConcurrentHashMap<>();

    /** @param maxTurn the largest rotation either way, in radians */
    Glyphs(List<String> glyphs, double maxTurn) {
        this.glyphs = List.copyOf(glyphs);
        this.maxTurn = maxTurn;
    }

    List<String> glyphs() {
        return glyphs;
    }

    @Override
    public void draw(Page page, Random random) {
        for (int attempt = 0; attempt < 100; attempt++) {
            String glyph = glyphs.get(random.nextInt(glyphs.size()));
            List<Shape> shapes = outlines.computeIfAbsent(glyph, Glyphs::outlines);
            if (shapes.isEmpty()) {
                continue;
            }
            Shape outline = shapes.get(random.nextInt(shapes.size()));
            draw(page, outline, outline.getBounds2D(), random);
            return;
        }
        throw new IllegalStateException("no installed font can display any of " + glyphs);
    }

    /** The glyph's outline in every font that displays it with some ink, in the fonts' order. */
    private static List<Shape> outlines(String glyph) {
        List<Shape> shapes = new ArrayList<>();
        for (Font font : Fonts.all()) {
            if (font.canDisplayUpTo(glyph) != -1) {
                continue;
            }
            Shape outline = font.deriveFont(DESIGN_SIZE).createGlyphVector(CONTEXT, glyph).getOutline();
            Rectangle2D bounds = outline.getBounds2D();
            if (bounds.getWidth() >= 1 && bounds.getHeight() >= 1) {
                shapes.add(outline);
            }
        }
        return List.copyOf(shapes);
    }

    private void draw(Page page, Shape outline, Rectangle2D bounds, Random random) {
        Rectangle2D box = page.box(random);
        double side = box.getWidth() * (0.75 + 0.25 * random.nextDouble());
        double scale = side / Math.max(bounds.getWidth(), bounds.getHeight());
        AffineTransform transform = new AffineTransform();
        transform.translate(box.getCenterX(), box.getCenterY());
        transform.rotate((2 * random.nextDouble() - 1) * maxTurn);
        transform.shear(0.3 * (random.nextDouble() - 0.5), 0);
        transform.scale(scale, scale);
        transform.translate(-bounds.getCenterX(), -bounds.getCenterY());
        Shape shape = transform.createTransformedShape(outline);
        Graphics2D g = page.graphics();
        try {
            g.fill(shape);
            if (random.nextBoolean()) {
                g.setStroke(Page.pen(side * 0.06 * random.nextDouble()));
                g.draw(shape);
            }
        } finally {
            g.dispose();
        }
    }
}
