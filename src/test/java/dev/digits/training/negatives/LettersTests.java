package dev.digits.training.negatives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Font;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LettersTests {

    @Test
    void noLetterOrSignThatPassesForADigitIsDrawn() {
        assertThat(Letters.DRAWING.glyphs()).doesNotContainAnyElementsOf(
                Letters.glyphs("OoDQIlijJLTZzSsBGbgqYyΘΦΩΓδσζξβЗЧБбЮЫ0123456789"));
        assertThat(Signs.DRAWING.glyphs()).doesNotContainAnyElementsOf(
                Letters.glyphs("/\\|-_'\"()[]{}∫†!.,:;°•<>¡¿£¥♀♂♪⚡☂¶∂↑↓↕↖↗↘↙0123456789"));
    }

    @Test
    void theLettersTheIssueNamesAreDrawn() {
        assertThat(Letters.DRAWING.glyphs()).contains("A", "a", "x");
        assertThat(Signs.DRAWING.glyphs()).contains("#", "☺");
    }

    /** A glyph no font displays is skipped silently; with DejaVu installed, none may be. */
    @Test
    void dejaVuDisplaysEveryLetterAndSign() {
        assumeTrue(Files.isDirectory(Fonts.DEJAVU), "DejaVu fonts are not installed");
        String all = Letters.LATIN + Letters.OTHER + Signs.SIGNS;

        assertThat(Letters.glyphs(all)).allMatch(glyph -> Fonts.all().stream().anyMatch(font -> font.canDisplayUpTo(glyph) == -1));
    }

    @Test
    void withoutDejaVuJavasLogicalFontsDrawTheLatinLetters() {
        List<Font> fonts = Fonts.load(Path.of("target", "no-such-font-folder"));

        assertThat(fonts).hasSize(9);
        assertThat(fonts).allMatch(font -> font.canDisplayUpTo(Letters.LATIN) == -1);
    }
}
