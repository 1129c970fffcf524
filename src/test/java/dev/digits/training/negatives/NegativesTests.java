package dev.digits.training.negatives;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.data.LabelledImages;
import dev.digits.images.ImageDecoder;
import dev.digits.images.ImagePreprocessor;
import dev.digits.support.MnistImages;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class NegativesTests {

    private static final Negatives NEGATIVES = new Negatives(MnistImages.train());
    private static final int FAMILIES = NegativeFamily.values().length;

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOtherImages() {
        LabelledImages first = NEGATIVES.units(3 * FAMILIES, 42);
        LabelledImages again = NEGATIVES.units(3 * FAMILIES, 42);
        LabelledImages other = NEGATIVES.units(3 * FAMILIES, 43);

        assertThat(again.pixels()).isEqualTo(first.pixels());
        assertThat(again.labels()).isEqualTo(first.labels());
        assertThat(other.pixels()).isNotEqualTo(first.pixels());
        assertThat(NEGATIVES.upload(NegativeFamily.LETTERS, 5, 42)).isEqualTo(NEGATIVES.upload(NegativeFamily.LETTERS, 5, 42));
    }

    @Test
    void everyFamilyMakesInkedImagesLabelledNotADigit() {
        for (NegativeFamily family : NegativeFamily.values()) {
            LabelledImages images = NEGATIVES.units(family, 30, 7);
            for (int i = 0; i < images.size(); i++) {
                assertThat(images.label(i)).as("%s %d", family, i).isEqualTo(LabelledImages.NOT_A_DIGIT);
                assertThat(brightest(images, i)).as("brightest pixel of %s %d", family, i).isGreaterThanOrEqualTo(64);
            }
        }
    }

    @Test
    void familiesTakeTurnsSoEveryFamilyHasItsShare() {
        int count = 4 * FAMILIES + 3;
        LabelledImages mixed = NEGATIVES.units(count, 9);

        assertThat(mixed.size()).isEqualTo(count);
        for (NegativeFamily family : NegativeFamily.values()) {
            int share = count / FAMILIES + (family.ordinal() < count % FAMILIES ? 1 : 0);
            LabelledImages alone = NEGATIVES.units(family, share, 9);
            for (int k = 0; k < share; k++) {
                int i = k * FAMILIES + family.ordinal();
                assertThat(image(mixed, i)).as("%s %d", family, k).isEqualTo(image(alone, k));
            }
        }
    }

    /** What a client uploads, decoded and preprocessed as /predict does, is the training image. */
    @Test
    void anUploadPreprocessesToTheSameImageAsTheTrainingSet() {
        ImageDecoder decoder = new ImageDecoder(10_000_000);
        ImagePreprocessor preprocessor = new ImagePreprocessor();
        for (NegativeFamily family : NegativeFamily.values()) {
            byte[] upload = NEGATIVES.upload(family, 3, 5);
            LabelledImages expected = NEGATIVES.units(family, 4, 5);

            BufferedImage decoded = decoder.decode(upload);
            assertThat(decoded.getWidth()).isBetween(Page.MIN_SIDE, Page.MAX_SIDE);
            assertThat(decoded.getHeight()).isBetween(Page.MIN_SIDE, Page.MAX_SIDE);
            byte[] seen = new byte[LabelledImages.PIXELS];
            LabelledImages.putUnit(preprocessor.toMnist(decoded), seen, 0);
            assertThat(seen).as(family.reportName()).isEqualTo(image(expected, 3));
        }
    }

    @Test
    void familiesHaveStableLowerCaseNames() {
        assertThat(Arrays.stream(NegativeFamily.values()).map(NegativeFamily::reportName))
                .containsExactly("letters", "signs", "strokes", "shapes", "noise", "textures", "crops");
    }

    /**
     * Ten negatives per family, one family a row, as the network sees them (28×28, enlarged
     * 3×), in {@code target/negatives.png}: look at it after changing a renderer; nothing on it
     * may read as a digit.
     */
    @Test
    void writesAContactSheetToLookAt() throws IOException {
        int perFamily = Integer.getInteger("negatives.sheet.columns", 10);
        int scale = 3;
        int cell = 28 * scale + 2;
        int labelWidth = 70;
        BufferedImage sheet = new BufferedImage(labelWidth + perFamily * cell, FAMILIES * cell, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(new Color(60, 60, 90));
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (NegativeFamily family : NegativeFamily.values()) {
            int top = family.ordinal() * cell;
            g.drawString(family.reportName(), 4, top + cell / 2);
            LabelledImages images = NEGATIVES.units(family, perFamily, 1);
            for (int k = 0; k < perFamily; k++) {
                for (int y = 0; y < 28 * scale; y++) {
                    for (int x = 0; x < 28 * scale; x++) {
                        int v = images.pixels()[k * LabelledImages.PIXELS + (y / scale) * 28 + x / scale] & 0xff;
                        sheet.setRGB(labelWidth + k * cell + 1 + x, top + 1 + y, v << 16 | v << 8 | v);
                    }
                }
            }
        }
        g.dispose();
        Path file = Path.of("target", "negatives.png");
        Files.createDirectories(file.getParent());
        ImageIO.write(sheet, "png", file.toFile());

        assertThat(file).isNotEmptyFile();
    }

    private static int brightest(LabelledImages images, int index) {
        int max = 0;
        for (int i = 0; i < LabelledImages.PIXELS; i++) {
            max = Math.max(max, images.pixels()[index * LabelledImages.PIXELS + i] & 0xff);
        }
        return max;
    }

    private static byte[] image(LabelledImages images, int index) {
        return Arrays.copyOfRange(images.pixels(), index * LabelledImages.PIXELS, (index + 1) * LabelledImages.PIXELS);
    }
}
