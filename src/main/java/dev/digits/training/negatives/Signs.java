package dev.digits.training.negatives;

/**
 * Signs and symbols from fonts. Left out, because the 28×28 frame makes digits of them:
 * <ul>
 *   <li>lines, bars and brackets {@code / \ | - _ ' " ( ) [ ] ∫ † ! ¡}: one stroke, scaled up and
 *       slanted, is a 1 (and should the preprocessing drop the dot of {@code !} as a speck, a 1 is all
 *       that is left);
 *   <li>{@code { }}, a 3; {@code < >}, a sloppy 7 or 1; {@code ¿}, a 5 or a 2; {@code £}, a 2 or a 4;
 *       {@code ¥}, a 4 or a 7; {@code ⚡}, a 2; {@code ☂}, a 1 with a hook;
 *   <li>dots and small rings {@code . , : ; ° •}: a ring scaled up is a 0;
 *   <li>a ring on a stem {@code ♀ ♂ ♪ ¶ ∂}: a 9 or a 6;
 *   <li>arrows that point up, down or aslant {@code ↑ ↓ ↕ ↖ ↗ ↘ ↙}: turned a little, a 1 with a
 *       flag (horizontal ones stay).
 * </ul>
 */
final class Signs {

    static final String SIGNS = "#@&%$+=?*€§©®™¢~^×÷±≈≠∞√∑µ‰…"
            + "←→↔⇐⇒⇔"
            + "☺☻☹♥♦♣♠★☆✓✔✗✘☼☀☁"
            + "✈✂☎⌂♻✿❤⌘☯⚙";
    static final Glyphs DRAWING = new Glyphs(Letters.glyphs(SIGNS), Math.toRadians(20));

    private Signs() {
    }
}
