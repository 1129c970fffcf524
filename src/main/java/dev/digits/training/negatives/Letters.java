package dev.digits.training.negatives;

import java.util.List;

/**
 * Letters that no one would read as a digit.
 *
 * <p>Left out, because handwriting or the 28×28 frame makes them digits: {@code O o D Q} (0),
 * {@code I l i j J L T} (1, and T or L with a short bar is a 7 or a 1 with a foot), {@code Z z} (2),
 * {@code S s} (5), {@code B} (8 or 13), {@code G b} (6), {@code g q} (9), {@code Y y} (4, 7 or 9).
 * Kept, though a glance might hesitate: {@code A} (a printed A is exactly what clients send and
 * got a confident 4), {@code C c U} (open, where a 0 is closed), {@code P p} (its loop sits on the
 * wrong side of the stem for a 9), {@code t f} (a crossbar no 1 has).
 * A few Greek and Cyrillic capitals and Greek small letters add shapes Latin lacks; their digit
 * look-alikes ({@code Θ Φ Ω Γ δ σ ζ ξ β З Ч Б б Ю Ы}) are left out too.
 */
final class Letters {

    static final String LATIN = "ACEFHKMNPRUVWX" + "acefhkmnprtuvwx";
    static final String OTHER = "ΔΛΞΠΣΨλμπψωЖИЛШЯД";
    /** Latin letters come three times as often as the others, as clients write them more. */
    static final Glyphs DRAWING = new Glyphs(glyphs(LATIN + LATIN + LATIN + OTHER), Math.toRadians(15));

    private Letters() {
    }

    static List<String> glyphs(String letters) {
        return letters.codePoints().mapToObj(Character::toString).toList();
    }
}
