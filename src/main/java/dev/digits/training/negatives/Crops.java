package dev.digits.training.negatives;

import dev.digits.data.LabelledImages;
import dev.digits.model.InputContract;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Crops of another image set, MNIST itself: a 2×2 or 3×3 mosaic of quarter-crops, each of a digit
 * of a different class, shuffled to other corners and turned by quarter turns. Real strokes, in
 * MNIST's own hand, that make up no digit: the pieces of one digit are never put back together,
 * and every piece carries enough ink that the preprocessing keeps it (it drops pieces under a tenth
 * of the biggest as specks, and one leftover piece could be a 1 or a 7). A gap between tiles keeps
 * the pieces apart, so they never join into a new figure that might pass for a digit.
 */
final class Crops implements Drawing {

    private static final int SIZE = InputContract.SIZE;
    private static final int QUARTER = SIZE / 2;
    /** A quarter must hold this share of its digit's ink, so each tile is a real piece of stroke. */
    private static final double MIN_INK_SHARE = 0.2;
    /** Blank pixels between tiles: pieces of different digits never join into a new digit-like figure. */
    private static final int GAP = 2;

    private final LabelledImages digits;
    private final int[][] byLabel;

    Crops(LabelledImages digits) {
        this.digits = digits;
        this.byLabel = indexByLabel(digits);
    }

    @Override
    public void draw(Page page, Random random) {
        int grid = random.nextInt(3) == 0 ? 3 : 2;
        int side = grid * QUARTER + (grid - 1) * GAP;
        byte[] mosaic = new byte[side * side];
        List<Integer> labels = shuffledLabels(random);
        for (int cell = 0; cell < grid * grid; cell++) {
            int[] tile = tile(labels.get(cell), random);
            int cx = (cell % grid) * (QUARTER + GAP);
            int cy = (cell / grid) * (QUARTER + GAP);
            for (int y = 0; y < QUARTER; y++) {
                for (int x = 0; x < QUARTER; x++) {
                    mosaic[(cy + y) * side + cx + x] = (byte) tile[y * QUARTER + x];
                }
            }
        }
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        System.arraycopy(mosaic, 0, ((DataBufferByte) image.getRaster().getDataBuffer()).getData(), 0, mosaic.length);
        Rectangle2D box = page.box(random);
        AffineTransform transform = new AffineTransform();
        transform.translate(box.getCenterX(), box.getCenterY());
        transform.rotate((random.nextDouble() - 0.5) * Math.PI / 3);
        transform.scale(box.getWidth() / side / Math.sqrt(2) * 1.2, box.getHeight() / side / Math.sqrt(2) * 1.2);
        transform.translate(-side / 2.0, -side / 2.0);
        Graphics2D g = page.graphics();
        try {
            g.drawImage(image, transform, null);
        } finally {
            g.dispose();
        }
    }

    /** Labels 0–9 in random order: each tile of one mosaic comes from a different class. */
    private static List<Integer> shuffledLabels(Random random) {
        List<Integer> labels = new ArrayList<>();
        for (int label = 0; label < InputContract.CLASSES; label++) {
            labels.add(label);
        }
        java.util.Collections.shuffle(labels, random);
        return labels;
    }

    /** A random inked quarter of a random digit labelled {@code label}, turned by 0–3 quarter turns. */
    private int[] tile(int label, Random random) {
        int[] candidates = byLabel[label];
        int[] best = null;
        for (int attempt = 0; attempt < 50 && best == null; attempt++) {
            int index = candidates[random.nextInt(candidates.length)];
            int qx = random.nextInt(2) * QUARTER;
            int qy = random.nextInt(2) * QUARTER;
            int[] quarter = new int[QUARTER * QUARTER];
            long inside = 0;
            long total = 0;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int value = digits.pixels()[index * SIZE * SIZE + y * SIZE + x] & 0xff;
                    total += value;
                    if (x >= qx && x < qx + QUARTER && y >= qy && y < qy + QUARTER) {
                        quarter[(y - qy) * QUARTER + x - qx] = value;
                        inside += value;
                    }
                }
            }
            if (total > 0 && inside >= MIN_INK_SHARE * total) {
                best = quarter;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no inked quarter of a " + label + " found in 50 tries");
        }
        int turns = random.nextInt(4);
        for (int t = 0; t < turns; t++) {
            best = quarterTurn(best);
        }
        return best;
    }

    private static int[] quarterTurn(int[] tile) {
        int[] turned = new int[tile.length];
        for (int y = 0; y < QUARTER; y++) {
            for (int x = 0; x < QUARTER; x++) {
                turned[x * QUARTER + (QUARTER - 1 - y)] = tile[y * QUARTER + x];
            }
        }
        return turned;
    }

    private static int[][] indexByLabel(LabelledImages digits) {
        int[] counts = digits.countsPerClass();
        int[][] byLabel = new int[InputContract.CLASSES][];
        for (int label = 0; label < byLabel.length; label++) {
            if (counts[label] == 0) {
                throw new IllegalArgumentException("crops need digits of every class, but there is no " + label);
            }
            byLabel[label] = new int[counts[label]];
        }
        int[] filled = new int[InputContract.CLASSES];
        for (int i = 0; i < digits.size(); i++) {
            int label = digits.label(i);
            if (label < InputContract.CLASSES) {
                byLabel[label][filled[label]++] = i;
            }
        }
        return byLabel;
    }
}
