package dev.digits.images;

import dev.digits.model.InputContract;

/**
 * What preprocessing found in an image, so that "nothing was drawn" is an answer of its own
 * rather than a blank 28×28 array the network would still read as some digit.
 *
 * @param found whether there is ink worth reading
 * @param area the share of the image covered by the digit's strokes, in [0, 1]
 * @param strokes connected pieces of ink that make up the digit
 * @param contrast how strongly the strongest ink stands out from the paper, in [0, 1]
 */
public record InkEvidence(boolean found, double area, int strokes, double contrast) {

    /** Nothing there: an empty canvas, blank paper, a uniform or dark image. */
    public static InkEvidence none(double contrast) {
        return new InkEvidence(false, 0, 0, contrast);
    }

    /** A unit pixel at or above this counts as ink when the client sent pixels, not an image. */
    static final float PIXEL_INK = 0.2f;
    /** Fewer inked pixels than this cannot form a digit on the 28×28 grid. */
    static final int MIN_INK_PIXELS = 4;

    /**
     * Evidence of an image that already is 28×28 (raw pixels): ink is what stands out from the
     * image's own darkest level, so a uniform image, bright or dark, holds none.
     */
    public static InkEvidence ofUnit(float[] unit) {
        float min = 1;
        float max = 0;
        for (float value : unit) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        int inked = 0;
        for (float value : unit) {
            if (value - min >= PIXEL_INK) {
                inked++;
            }
        }
        double contrast = Math.max(0, max - min);
        if (inked < MIN_INK_PIXELS || contrast < InkRegion.MIN_CONTRAST) {
            return none(contrast);
        }
        return new InkEvidence(true, inked / (double) InputContract.PIXELS, Components.count(unit, min + PIXEL_INK),
                contrast);
    }
}
