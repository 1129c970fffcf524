package dev.digits.images;

/**
 * One image ready for the network, and what was found in it.
 *
 * @param unit 784 values in [0, 1], row-major 28×28, bright ink on black, not normalized; all zeros
 *     when no ink was found
 */
public record MnistInput(float[] unit, InkEvidence ink) {

    /** Pixels a client sent directly, with their evidence measured on the 28×28 grid. */
    public static MnistInput ofUnit(float[] unit) {
        return new MnistInput(unit, InkEvidence.ofUnit(unit));
    }
}
