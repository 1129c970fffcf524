package dev.digits.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.digits.support.NumberImages;
import dev.digits.support.NumberImages.Family;
import dev.digits.support.NumberImages.Style;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whole numbers of MNIST test digits, two to five per image, as canvas drawings and as dark ink on
 * paper, read by the bundled model through the DJL engine.
 */
class NumberReaderTests {

    /** Images per family and style; each family is read on twice this many. docs/benchmarks.md has more. */
    private static final int IMAGES = 100;

    @TempDir
    static Path folder;
    private static BundledModelClassifier classifier;
    private static NumberImages numbers;

    private final NumberReader reader = new NumberReader(32);
    private final ImageDecoder decoder = new ImageDecoder(25_000_000);

    @BeforeAll
    static void loadModel() {
        classifier = new BundledModelClassifier(folder);
        numbers = NumberImages.fromMnistTest();
    }

    @AfterAll
    static void closeModel() {
        classifier.close();
    }

    @ParameterizedTest
    @CsvSource({"GAPS, 0.97", "STROKES, 0.97", "TOUCHING, 0.85"})
    void readsWholeNumbers(Family family, double target) {
        int correct = 0;
        for (Style style : Style.values()) {
            int styleCorrect = 0;
            for (int i = 0; i < IMAGES; i++) {
                NumberImages.Sample sample = sample(family, style, i);
                NumberReading<BundledModelClassifier.Scores> reading = reader.read(decoder.decode(sample.bytes()),
                        classifier);
                if (reading.number().equals(sample.number())) {
                    styleCorrect++;
                }
            }
            System.out.printf(Locale.ROOT, "%-8s %-6s exact %.3f%n", family, style, styleCorrect / (double) IMAGES);
            correct += styleCorrect;
        }
        assertThat(correct / (2.0 * IMAGES)).as(family.name()).isGreaterThanOrEqualTo(target);
    }

    @Test
    void boxesHoldTheDigitsInk() {
        for (int i = 0; i < 10; i++) {
            NumberImages.Sample sample = sample(Family.GAPS, Style.CANVAS, i);
            NumberReading<BundledModelClassifier.Scores> reading = reader.read(decoder.decode(sample.bytes()), classifier);
            assertThat(reading.digits()).hasSameSizeAs(sample.boxes());
            for (int k = 0; k < sample.boxes().length; k++) {
                int[] truth = sample.boxes()[k];
                Box box = reading.digits().get(k).box();
                // Within the soft edge on which the renderer's coverage and the reader's threshold differ.
                assertThat(box.x()).isCloseTo(truth[0], within(6));
                assertThat(box.y()).isCloseTo(truth[1], within(6));
                assertThat(box.x() + box.width() - 1).isCloseTo(truth[2], within(6));
                assertThat(box.y() + box.height() - 1).isCloseTo(truth[3], within(6));
            }
        }
    }

    @Test
    void cutsEachDigitAsASingleDigitImageIsCut() {
        ImagePreprocessor single = new ImagePreprocessor();
        NumberImages.Sample sample = numbers.render(Family.GAPS, Style.PAPER, new int[] {3, 2, 1}, new Random(11));
        BufferedImage image = decoder.decode(sample.bytes());
        NumberReading<BundledModelClassifier.Scores> reading = reader.read(image, classifier);
        assertThat(reading.number()).isEqualTo(sample.number());
        for (int k = 0; k < 3; k++) {
            // The digit alone, as an app would crop it: its box and a margin, the other digits erased.
            BufferedImage page = copy(image);
            Graphics2D g = page.createGraphics();
            g.setColor(new Color(image.getRGB(0, 0)));
            for (int other = 0; other < 3; other++) {
                if (other != k) {
                    int[] box = sample.boxes()[other];
                    g.fillRect(box[0] - 2, box[1] - 2, box[2] - box[0] + 5, box[3] - box[1] + 5);
                }
            }
            g.dispose();
            int[] box = sample.boxes()[k];
            int margin = (box[3] - box[1]) / 3;
            int x = Math.max(0, box[0] - margin);
            int y = Math.max(0, box[1] - margin);
            BufferedImage alone = page.getSubimage(x, y, Math.min(page.getWidth(), box[2] + margin) - x,
                    Math.min(page.getHeight(), box[3] + margin) - y);
            float[] expected = single.toMnist(alone);
            float[] unit = reading.digits().get(k).unit();
            double difference = 0;
            for (int p = 0; p < unit.length; p++) {
                difference += Math.abs(unit[p] - expected[p]);
            }
            System.out.printf(Locale.ROOT, "digit %d: mean difference %.4f%n", k, difference / unit.length);
            assertThat(difference / unit.length).as("digit %d", k).isLessThan(0.01);
        }
    }

    @Test
    void ignoresDotsAndSpecks() {
        NumberImages.Sample sample = numbers.render(Family.GAPS, Style.PAPER, new int[] {0, 1, 2, 3}, new Random(12));
        BufferedImage image = copy(decoder.decode(sample.bytes()));
        Graphics2D g = image.createGraphics();
        g.setColor(Color.BLACK);
        int[] second = sample.boxes()[1];
        int[] third = sample.boxes()[2];
        int height = second[3] - second[1];
        // A decimal point on the baseline between the second and third digits, and specks around.
        int dot = Math.max(3, height / 10);
        g.fillOval((second[2] + third[0]) / 2 - dot / 2, second[3] - dot, dot, dot);
        g.fillOval(5, 5, 3, 3);
        g.fillOval(image.getWidth() - 9, image.getHeight() - 9, 4, 4);
        g.fillOval(third[0], third[1] - height / 4, 2, 2);
        g.dispose();

        assertThat(reader.read(image, classifier).number()).isEqualTo(sample.number());
    }

    @Test
    void keepsADetachedBarWithItsDigit() {
        // MNIST test digits 0, 8 and 15 are a 7, a 5 and a 5: their bars are erased apart from the rest.
        NumberImages.Sample sample = numbers.render(Family.STROKES, Style.CANVAS, new int[] {0, 8, 15}, new Random(13));
        assertThat(sample.number()).isEqualTo("755");
        assertThat(reader.read(decoder.decode(sample.bytes()), classifier).number()).isEqualTo("755");
    }

    @Test
    void readsNothingOnABlankImage() {
        BufferedImage blank = new BufferedImage(600, 200, BufferedImage.TYPE_INT_ARGB);
        NumberReading<BundledModelClassifier.Scores> reading = reader.read(blank, classifier);
        assertThat(reading.isEmpty()).isTrue();
        assertThat(reading.number()).isEmpty();
    }

    @Test
    void refusesMoreDigitsThanItReadsAndImagesTooWide() {
        int[] indices = new int[12];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = 20 + i;
        }
        BufferedImage twelve = decoder.decode(numbers.render(Family.GAPS, Style.PAPER, indices, new Random(14)).bytes());
        int before = classifier.images();
        assertThatThrownBy(() -> new NumberReader(10).read(twelve, classifier))
                .isInstanceOf(NumberTooLongException.class).hasMessageContaining("at most 10");
        assertThat(classifier.images()).as("refused before classifying").isEqualTo(before);
        assertThatThrownBy(() -> reader.read(new BufferedImage(4900, 100, BufferedImage.TYPE_BYTE_GRAY), classifier))
                .isInstanceOf(NumberTooLongException.class).hasMessageContaining("too wide");
    }

    @Test
    void readsAKnownNumberWhereItsDigitsReadBest() {
        for (int i = 0; i < 10; i++) {
            NumberImages.Sample sample = sample(Family.TOUCHING, Style.CANVAS, i);
            int[] digits = sample.number().chars().map(c -> c - '0').toArray();
            NumberReading<BundledModelClassifier.Scores> reading = reader.readAs(decoder.decode(sample.bytes()),
                    classifier, digits);
            assertThat(reading).isNotNull();
            assertThat(reading.digits()).hasSize(digits.length);
        }
        NumberImages.Sample two = numbers.render(Family.GAPS, Style.CANVAS, new int[] {0, 1}, new Random(15));
        assertThat(reader.readAs(decoder.decode(two.bytes()), classifier, new int[] {7, 2, 1})).as("three digits in two")
                .isNull();
    }

    private static NumberImages.Sample sample(Family family, Style style, int i) {
        // Seeds apart from those the reader was tuned on.
        Random random = new Random(0x5DEECE66DL * (1 + family.ordinal() * 1_000L + style.ordinal() * 100_000L + i));
        return numbers.sample(family, style, 2 + random.nextInt(4), random);
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = copy.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, copy.getWidth(), copy.getHeight());
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return copy;
    }
}
