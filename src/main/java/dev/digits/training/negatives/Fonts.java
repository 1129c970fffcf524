package dev.digits.training.negatives;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The typefaces glyphs are drawn in: the DejaVu family when it is installed (Debian's
 * {@code fonts-dejavu-core}), else Java's logical fonts, which every JRE has. DejaVu covers arrows,
 * smileys and card suits that logical fonts may lack; either way a glyph is only drawn in a font
 * that {@link Font#canDisplay can display} it.
 */
final class Fonts {

    static final Path DEJAVU = Path.of("/usr/share/fonts/truetype/dejavu");

    private static final List<Font> FONTS = load(DEJAVU);

    private Fonts() {
    }

    static List<Font> all() {
        return FONTS;
    }

    static List<Font> load(Path folder) {
        List<Font> fonts = dejaVu(folder);
        if (!fonts.isEmpty()) {
            return List.copyOf(fonts);
        }
        for (String name : List.of(Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED)) {
            for (int style : new int[] {Font.PLAIN, Font.BOLD, Font.ITALIC}) {
                fonts.add(new Font(name, style, 1));
            }
        }
        return List.copyOf(fonts);
    }

    /**
     * The DejaVu faces in a fixed order (so a seed draws the same font everywhere they are
     * installed). ExtraLight strokes vanish at 28×28 and the TeX math face is no text face.
     */
    private static List<Font> dejaVu(Path folder) {
        List<Font> fonts = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return fonts;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Fonts::isTextFace).sorted().toList()) {
                try {
                    fonts.add(Font.createFont(Font.TRUETYPE_FONT, file.toFile()));
                } catch (FontFormatException | IOException e) {
                    // An unreadable face is left out; the others still give variety.
                }
            }
        } catch (IOException e) {
            return new ArrayList<>();
        }
        return fonts;
    }

    private static boolean isTextFace(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("DejaVu") && name.endsWith(".ttf") && !name.contains("ExtraLight")
                && !name.contains("Math");
    }
}
