package dev.digits.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.digits.data.LabelledImages;
import dev.digits.data.MnistLoader;
import dev.digits.data.MnistSource;
import dev.digits.images.ClientStyles.Style;
import dev.digits.model.InputContract;
import dev.digits.model.ModelArchive;
import dev.digits.model.ModelMetadata;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImagePreprocessorTests {

    private static final int ACCURACY_IMAGES = 500;

    private static LabelledImages mnist;
    private static ClientStyles styles;

    private final ImagePreprocessor preprocessor = new ImagePreprocessor();
    private final ImageDecoder decoder = new ImageDecoder(25_000_000);

    @BeforeAll
    static void loadMnist() {
        mnist = MnistLoader.load(MnistSource.bundled()).test();
        styles = new ClientStyles(mnist);
    }

    @Test
    void classifiesClientStylesAlmostAsWellAsMnistItself(@TempDir Path folder) throws Exception {
        copyBundledModel(folder);
        ModelMetadata metadata = ModelArchive.readMetadata(folder);
        try (Model model = ModelArchive.load(folder, metadata, Device.cpu())) {
            float[] plain = new float[ACCURACY_IMAGES * InputContract.PIXELS];
            for (int i = 0; i < ACCURACY_IMAGES; i++) {
                mnist.copyUnit(i, plain, i * InputContract.PIXELS);
            }
            double baseline = accuracy(model, plain);
            Map<Style, Double> accuracies = new EnumMap<>(Style.class);
            System.out.printf(Locale.ROOT, "MNIST as is   %.4f on the first %d test images%n", baseline, ACCURACY_IMAGES);
            for (Style style : Style.values()) {
                float[] batch = new float[ACCURACY_IMAGES * InputContract.PIXELS];
                AtomicLong nanos = new AtomicLong();
                // Each image has its own seed, so the result does not depend on the order threads take them in.
                IntStream.range(0, ACCURACY_IMAGES).parallel().forEach(i -> {
                    BufferedImage image = decoder.decode(styles.upload(style, i, new Random(1000L * style.ordinal() + i)));
                    long start = System.nanoTime();
                    float[] unit = preprocessor.toMnist(image);
                    nanos.addAndGet(System.nanoTime() - start);
                    System.arraycopy(unit, 0, batch, i * InputContract.PIXELS, InputContract.PIXELS);
                });
                accuracies.put(style, accuracy(model, batch));
                System.out.printf(Locale.ROOT, "%-13s %.4f  (preprocessing %.2f ms/image, cold JIT included)%n", style,
                        accuracies.get(style), nanos.get() / 1e6 / ACCURACY_IMAGES);
            }
            assertThat(accuracies).allSatisfy((style, accuracy) -> assertThat(accuracy).as(style.name())
                    .isGreaterThanOrEqualTo(baseline - 0.03)
                    .isGreaterThanOrEqualTo(0.90));
        }
    }

    @Test
    void leavesMnistDigitsAsTheyAre() {
        for (int i = 0; i < 100; i++) {
            float[] original = new float[InputContract.PIXELS];
            mnist.copyUnit(i, original, 0);
            // Only the stroke level may change: it is set so that the strongest strokes are full ink.
            assertThat(preprocessor.toMnist(styles.plain(i))).as("image %d", i).containsExactly(original, within(0.06f));
        }
    }

    @Test
    void darkInkOnLightPaperAndLightInkOnDarkGiveTheSameDigit() {
        for (int i = 0; i < 20; i++) {
            BufferedImage scan = styles.scan(i, new Random(i));
            float[] dark = preprocessor.toMnist(scan);
            float[] light = preprocessor.toMnist(inverted(scan));
            assertThat(difference(dark, light)).as("image %d", i).isLessThan(0.005);
        }
    }

    @Test
    void readsChalkOnADarkBoardUnderUnevenLight() {
        for (int i = 0; i < 10; i++) {
            BufferedImage photo = styles.photo(i, new Random(i), false);
            float[] board = preprocessor.toMnist(inverted(photo));
            // Light ink is measured by subtraction, dark ink relative to the paper, so shadows weigh differently.
            assertThat(difference(board, preprocessor.toMnist(photo))).as("image %d", i).isLessThan(0.05);
            assertFramedLikeMnist(board);
        }
    }

    @Test
    void takesTheInkFromAlphaWhenACanvasHasNoColour() {
        for (int i = 0; i < 20; i++) {
            BufferedImage canvas = styles.canvas(i, new Random(i));
            float[] expected = preprocessor.toMnist(flattened(canvas, Color.WHITE));
            assertThat(difference(preprocessor.toMnist(canvas), expected)).as("image %d", i).isLessThan(0.005);
            assertThat(difference(preprocessor.toMnist(recoloured(canvas, 0xffffff)), expected))
                    .as("white ink, image %d", i).isLessThan(0.005);
        }
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void placesTheDigitLikeMnist(Style style) {
        for (int i = 0; i < 30; i++) {
            float[] unit = preprocessor.toMnist(decoder.decode(styles.upload(style, i, new Random(i))));
            assertFramedLikeMnist(unit);
        }
    }

    @Test
    void specksAwayFromTheDigitDoNotMoveIt() {
        for (int i = 0; i < 10; i++) {
            float[] clean = preprocessor.toMnist(styles.photo(i, new Random(i), false));
            float[] specked = preprocessor.toMnist(styles.photo(i, new Random(i), true));
            int[] cleanBox = box(clean);
            int[] speckedBox = box(specked);
            assertThat(speckedBox[2] - speckedBox[0]).as("width, image %d", i).isEqualTo(cleanBox[2] - cleanBox[0]);
            assertThat(speckedBox[3] - speckedBox[1]).as("height, image %d", i).isEqualTo(cleanBox[3] - cleanBox[1]);
            assertThat(difference(clean, specked)).as("image %d", i).isLessThan(0.005);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_ARGB_PRE, BufferedImage.TYPE_3BYTE_BGR,
        BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY,
        BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_USHORT_565_RGB})
    void readsEveryKindOfImageAlike(int type) {
        for (int i = 0; i < 10; i++) {
            BufferedImage ink = styles.colouredInk(i, new Random(i));
            BufferedImage converted = new BufferedImage(ink.getWidth(), ink.getHeight(), type);
            Graphics2D g = converted.createGraphics();
            g.drawImage(ink, 0, 0, null);
            g.dispose();
            // Indexed and 16-bit layouts quantize (and dither) the colours, which roughens the strokes a little.
            assertThat(difference(preprocessor.toMnist(converted), preprocessor.toMnist(ink)))
                    .as("image %d", i).isLessThan(0.04);
        }
    }

    @Test
    void enlargesTinyDigits() {
        BufferedImage tiny = new BufferedImage(12, 12, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = tiny.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 12, 12);
        g.setColor(Color.BLACK);
        g.drawLine(6, 2, 6, 9);
        g.drawLine(5, 3, 6, 2);
        g.dispose();
        float[] unit = preprocessor.toMnist(tiny);
        int[] box = box(unit);
        assertThat(box[3] - box[1] + 1).isEqualTo(MnistFrame.BOX);
        assertFramedLikeMnist(unit);
    }

    @Test
    void returnsZerosForBlankImages() {
        float[] zeros = new float[InputContract.PIXELS];
        assertThat(preprocessor.toMnist(filled(300, 200, BufferedImage.TYPE_INT_RGB, 0xffffff))).containsExactly(zeros);
        assertThat(preprocessor.toMnist(filled(28, 28, BufferedImage.TYPE_BYTE_GRAY, 0))).containsExactly(zeros);
        assertThat(preprocessor.toMnist(filled(50, 50, BufferedImage.TYPE_INT_RGB, 0x808080))).containsExactly(zeros);
        assertThat(preprocessor.toMnist(filled(280, 280, BufferedImage.TYPE_INT_ARGB, 0))).containsExactly(zeros);
        assertThat(preprocessor.toMnist(filled(1, 1, BufferedImage.TYPE_INT_RGB, 0x123456))).containsExactly(zeros);
        assertThat(preprocessor.toMnist(filled(3, 1000, BufferedImage.TYPE_INT_RGB, 0xffffff))).containsExactly(zeros);
        BufferedImage gradient = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) {
                int v = 120 + x * 120 / 400;
                gradient.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        assertThat(preprocessor.toMnist(gradient)).containsExactly(zeros);
    }

    @Test
    void ignoresALoneSpeckOnBlankPaper() {
        BufferedImage paper = new BufferedImage(600, 800, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = paper.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(110, 105, 100), 600, 800, new Color(230, 225, 215)));
        g.fillRect(0, 0, 600, 800);
        g.setColor(new Color(30, 30, 30));
        g.fillOval(400, 200, 8, 8);
        g.dispose();

        BufferedImage photo = decoder.decode(ClientStyles.encode(paper, "jpg"));

        assertThat(preprocessor.toMnist(photo)).containsOnly(0f);
    }

    /** Timing never decides a test; this one prints what a run costs so it can be recorded. */
    @Test
    void reportsPreprocessingTime() {
        BufferedImage small = styles.plain(0);
        BufferedImage large = new BufferedImage(1000, 1000, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = large.createGraphics();
        g.drawImage(styles.photo(0, new Random(0), true), 0, 0, 1000, 1000, null);
        g.dispose();
        for (BufferedImage image : new BufferedImage[] {small, large}) {
            for (int i = 0; i < 50; i++) {
                preprocessor.toMnist(image);
            }
            int runs = 50;
            long start = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                preprocessor.toMnist(image);
            }
            System.out.printf(Locale.ROOT, "preprocessing %d×%d: %.2f ms%n", image.getWidth(), image.getHeight(),
                    (System.nanoTime() - start) / 1e6 / runs);
            assertFramedLikeMnist(preprocessor.toMnist(image));
        }
    }

    private static void assertFramedLikeMnist(float[] unit) {
        assertThat(unit).hasSize(InputContract.PIXELS);
        double mass = 0;
        double sumX = 0;
        double sumY = 0;
        for (int i = 0; i < unit.length; i++) {
            assertThat(unit[i]).isBetween(0f, 1f);
            mass += unit[i];
            sumX += unit[i] * (i % 28);
            sumY += unit[i] * (i / 28);
        }
        assertThat(mass).isPositive();
        assertThat(sumX / mass).isBetween(13.5, 14.5);
        assertThat(sumY / mass).isBetween(13.5, 14.5);
        int[] box = box(unit);
        assertThat(box[2] - box[0] + 1).isLessThanOrEqualTo(MnistFrame.BOX);
        assertThat(box[3] - box[1] + 1).isLessThanOrEqualTo(MnistFrame.BOX);
        assertThat(Math.max(box[2] - box[0], box[3] - box[1]) + 1).isEqualTo(MnistFrame.BOX);
    }

    /** minX, minY, maxX, maxY of the non-zero pixels. */
    private static int[] box(float[] unit) {
        int[] box = {28, 28, -1, -1};
        for (int i = 0; i < unit.length; i++) {
            if (unit[i] > 0) {
                box[0] = Math.min(box[0], i % 28);
                box[1] = Math.min(box[1], i / 28);
                box[2] = Math.max(box[2], i % 28);
                box[3] = Math.max(box[3], i / 28);
            }
        }
        return box;
    }

    /**
     * Mean absolute difference, allowing a one-pixel shift: tiny differences can round the centre of
     * mass to the neighbouring pixel, as they would have in MNIST itself.
     */
    private static double difference(float[] a, float[] b) {
        double best = Double.MAX_VALUE;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                double sum = 0;
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        int sx = x + dx;
                        int sy = y + dy;
                        float other = sx < 0 || sy < 0 || sx >= 28 || sy >= 28 ? 0 : b[sy * 28 + sx];
                        sum += Math.abs(a[y * 28 + x] - other);
                    }
                }
                best = Math.min(best, sum / a.length);
            }
        }
        return best;
    }

    private static BufferedImage inverted(BufferedImage image) {
        BufferedImage inverted = new BufferedImage(image.getWidth(), image.getHeight(), image.getType());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
                    inverted.getRaster().setSample(x, y, 0, 255 - image.getRaster().getSample(x, y, 0));
                } else {
                    inverted.setRGB(x, y, image.getRGB(x, y) ^ 0xffffff);
                }
            }
        }
        return inverted;
    }

    private static BufferedImage flattened(BufferedImage image, Color background) {
        BufferedImage flat = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = flat.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return flat;
    }

    /** The same alpha with another colour, as a canvas drawn with a white pen would hold. */
    private static BufferedImage recoloured(BufferedImage image, int rgb) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int alpha = image.getRGB(x, y) >>> 24;
                copy.setRGB(x, y, alpha == 0 ? 0 : alpha << 24 | rgb);
            }
        }
        return copy;
    }

    private static BufferedImage filled(int width, int height, int type, int rgb) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setComposite(AlphaComposite.Src);
        g.setColor(new Color(rgb, type == BufferedImage.TYPE_INT_ARGB));
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    private static void copyBundledModel(Path folder) throws Exception {
        for (String name : new String[] {ModelArchive.PARAMETERS, ModelArchive.METADATA}) {
            try (InputStream in = ImagePreprocessorTests.class.getResourceAsStream("/bundled-model/" + name)) {
                assertThat(in).as(name).isNotNull();
                Files.copy(in, folder.resolve(name));
            }
        }
    }

    /** Fraction of the first images that the model labels correctly, from their [0, 1] pixels. */
    private static double accuracy(Model model, float[] units) {
        int n = units.length / InputContract.PIXELS;
        float[] batch = units.clone();
        InputContract.normalize(batch, 0, batch.length);
        float[] logits;
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList input = new NDList(manager.create(batch, new Shape(n, 1, InputContract.SIZE, InputContract.SIZE)));
            logits = model.getBlock().forward(new ParameterStore(manager, false), input, false).singletonOrThrow()
                    .toFloatArray();
        }
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < InputContract.CLASSES; c++) {
                if (logits[i * InputContract.CLASSES + c] > logits[i * InputContract.CLASSES + best]) {
                    best = c;
                }
            }
            if (best == mnist.label(i)) {
                correct++;
            }
        }
        return correct / (double) n;
    }
}
