package dev.digits.training.negatives;

import java.util.Locale;

/** The kinds of pictures that are no digit, each made by its own renderer; {@link #reportName} names it in reports. */
public enum NegativeFamily {

    /** Latin (and a few Greek and Cyrillic) letters from fonts, leaving out those that pass for digits. */
    LETTERS,
    /** Signs and symbols from fonts: {@code # @ & % € §}, arrows, smileys, card suits. */
    SIGNS,
    /** Pen strokes: scribbles, zig-zags, spirals, random polylines, hatching, coils, waves. */
    STROKES,
    /** Drawn shapes: crossed circles, decorated squares, triangles, stars, smileys, grids, hearts, suns. */
    SHAPES,
    /** Noise patches, salt and pepper, blobs and random islands. */
    NOISE,
    /** Stripes, checkerboards, dots, noisy gradients, waves, bricks, specks on paper. */
    TEXTURES,
    /** Mosaics of quarter-crops of MNIST digits of different classes, shuffled and turned. */
    CROPS;

    /** Stable lower-case name for reports and metrics: {@code letters}, {@code signs}, … */
    public String reportName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return reportName();
    }
}
