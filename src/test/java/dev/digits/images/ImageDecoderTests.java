package dev.digits.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTests {

    private static final Map<String, String> NAMES = Map.of("png", "PNG", "jpg", "JPEG", "gif", "GIF", "bmp", "BMP");

    private final ImageDecoder decoder = new ImageDecoder(25_000_000);

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "gif", "bmp"})
    void decodesEveryAcceptedFormat(String format) {
        BufferedImage image = decoder.decode(ClientStyles.encode(picture(96, 64), format));

        assertThat(image.getWidth()).isEqualTo(96);
        assertThat(image.getHeight()).isEqualTo(64);
        Color corner = new Color(image.getRGB(90, 60));
        assertThat(corner.getBlue()).isGreaterThan(200);
        assertThat(corner.getRed()).isLessThan(60);
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "gif", "bmp"})
    void refusesTruncatedImages(String format) {
        byte[] bytes = ClientStyles.encode(picture(96, 64), format);
        for (double kept : new double[] {0.95, 0.7, 0.5, 0.2, 0.05}) {
            byte[] truncated = Arrays.copyOf(bytes, (int) (bytes.length * kept));
            assertThatThrownBy(() -> decoder.decode(truncated)).as("%.0f %% kept", kept * 100)
                    .isInstanceOf(InvalidImageException.class)
                    .hasMessageStartingWith("truncated or corrupt " + NAMES.get(format) + " image");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "gif"})
    void refusesImagesWithDamagedData(String format) {
        byte[] bytes = ClientStyles.encode(picture(96, 64), format);
        Random random = new Random(1);
        for (int i = bytes.length / 3; i < bytes.length - 16; i += 7) {
            bytes[i] = (byte) random.nextInt();
        }
        assertThatThrownBy(() -> decoder.decode(bytes)).isInstanceOf(InvalidImageException.class)
                .hasMessageStartingWith("truncated or corrupt " + NAMES.get(format) + " image");
    }

    /** Uncompressed BMP pixels carry no checksum, so only a damaged header can be noticed. */
    @Test
    void refusesABmpWithADamagedHeader() {
        byte[] bytes = ClientStyles.encode(picture(96, 64), "bmp");
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        header.putShort(28, (short) 7);

        assertThatThrownBy(() -> decoder.decode(bytes)).isInstanceOf(InvalidImageException.class)
                .hasMessageStartingWith("truncated or corrupt BMP image");
    }

    @Test
    void refusesWhatIsNoImage() {
        byte[] noise = new byte[2000];
        new Random(3).nextBytes(noise);
        for (byte[] bytes : new byte[][] {noise, new byte[100], "GIF8 but not really".getBytes(StandardCharsets.US_ASCII),
            "{\"digit\": 7}".getBytes(StandardCharsets.US_ASCII)}) {
            assertThatThrownBy(() -> decoder.decode(bytes)).isInstanceOf(InvalidImageException.class)
                    .hasMessage("not a PNG, JPEG, GIF or BMP image");
        }
        assertThatThrownBy(() -> decoder.decode(new byte[0])).isInstanceOf(InvalidImageException.class)
                .hasMessageStartingWith("empty image");
        assertThatThrownBy(() -> decoder.decode(null)).isInstanceOf(InvalidImageException.class)
                .hasMessageStartingWith("empty image");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiff", "wbmp"})
    void refusesOtherImageFormats(String format) {
        BufferedImage binary = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_BINARY);
        byte[] bytes = ClientStyles.encode(binary, format);

        assertThatThrownBy(() -> decoder.decode(bytes)).isInstanceOf(InvalidImageException.class)
                .hasMessage("not a PNG, JPEG, GIF or BMP image");
    }

    /** Decoding would need 10 GB; the header alone must be enough to refuse it. */
    @Test
    void refusesAPngThatDeclaresTooManyPixelsBeforeDecodingIt() throws IOException {
        byte[] png = pngHeader(50_000, 50_000);

        Throwable thrown = catchThrowable(() -> decoder.decode(png));

        assertThat(thrown).isInstanceOf(ImageTooLargeException.class)
                .hasMessageContaining("50000×50000")
                .hasMessageContaining("25,000,000");
        ImageTooLargeException tooLarge = (ImageTooLargeException) thrown;
        assertThat(tooLarge.width()).isEqualTo(50_000);
        assertThat(tooLarge.height()).isEqualTo(50_000);
        assertThat(tooLarge.maxPixels()).isEqualTo(25_000_000);
    }

    @Test
    void refusesAJpegThatDeclaresTooManyPixels() {
        byte[] jpeg = ClientStyles.encode(picture(96, 64), "jpg");
        int frame = indexOf(jpeg, (byte) 0xff, (byte) 0xc0);
        ByteBuffer.wrap(jpeg).putShort(frame + 5, (short) 60_000).putShort(frame + 7, (short) 60_000);
        assertThatThrownBy(() -> decoder.decode(jpeg)).isInstanceOf(ImageTooLargeException.class)
                .hasMessageContaining("60000×60000");
    }

    /** The BMP reader checks the declared size against the data present, so the lie shows as damage. */
    @Test
    void refusesABmpThatDeclaresMorePixelsThanItHolds() {
        byte[] bmp = ClientStyles.encode(picture(96, 64), "bmp");
        ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(18, 40_000).putInt(22, 40_000);

        assertThatThrownBy(() -> decoder.decode(bmp)).isInstanceOf(InvalidImageException.class)
                .hasMessageStartingWith("truncated or corrupt BMP image");
    }

    @Test
    void limitsTheProductOfWidthAndHeight() {
        ImageDecoder small = new ImageDecoder(100 * 50);

        assertThat(small.decode(ClientStyles.encode(picture(100, 50), "png")).getWidth()).isEqualTo(100);
        assertThatThrownBy(() -> small.decode(ClientStyles.encode(picture(101, 50), "png")))
                .isInstanceOf(ImageTooLargeException.class)
                .hasMessage("image is 101×50 pixels (5,050), more than the limit of 5,000 pixels");
    }

    @Test
    void decodesBigPhotosSubsampled() {
        byte[] photo = ClientStyles.encode(picture(4000, 3000), "jpg");

        BufferedImage image = decoder.decode(photo);

        assertThat(Math.max(image.getWidth(), image.getHeight())).isBetween(512, ImageDecoder.MAX_DECODED_SIDE);
        assertThat((double) image.getWidth() / image.getHeight()).isCloseTo(4 / 3.0, within(0.01));
        assertThat(new Color(image.getRGB(image.getWidth() - 5, image.getHeight() - 5)).getBlue()).isGreaterThan(200);
        assertThatThrownBy(() -> decoder.decode(Arrays.copyOf(photo, photo.length * 9 / 10)))
                .isInstanceOf(InvalidImageException.class);
    }

    @Test
    void choosesTheSmallestSubsamplingThatFits() {
        assertThat(ImageDecoder.subsamplingStep(28)).isEqualTo(1);
        assertThat(ImageDecoder.subsamplingStep(1024)).isEqualTo(1);
        assertThat(ImageDecoder.subsamplingStep(1025)).isEqualTo(2);
        assertThat(ImageDecoder.subsamplingStep(4000)).isEqualTo(4);
        assertThat(ImageDecoder.subsamplingStep(50_000)).isEqualTo(49);
    }

    @ParameterizedTest(name = "orientation {0}")
    @CsvSource({"1, RED, GREEN", "2, GREEN, RED", "3, WHITE, BLUE", "4, BLUE, WHITE", "5, RED, BLUE", "6, BLUE, RED",
        "7, WHITE, GREEN", "8, GREEN, WHITE"})
    void turnsPhotosUprightByTheirExifOrientation(int orientation, String topLeft, String topRight) {
        for (boolean bigEndian : new boolean[] {true, false}) {
            BufferedImage image = decoder.decode(withExifOrientation(ClientStyles.encode(quadrants(), "jpg"),
                    orientation, bigEndian));

            boolean swapped = orientation >= 5;
            assertThat(image.getWidth()).isEqualTo(swapped ? 64 : 96);
            assertThat(image.getHeight()).isEqualTo(swapped ? 96 : 64);
            assertThat(colourAt(image, image.getWidth() / 4, image.getHeight() / 4)).isEqualTo(topLeft);
            assertThat(colourAt(image, image.getWidth() * 3 / 4, image.getHeight() / 4)).isEqualTo(topRight);
        }
    }

    @Test
    void ignoresBrokenExifData() {
        byte[] jpeg = withExifOrientation(ClientStyles.encode(quadrants(), "jpg"), 6, true);
        for (int cut = 0; cut < 60; cut++) {
            byte[] truncated = Arrays.copyOf(jpeg, cut);
            assertThat(ExifOrientation.of(truncated)).isBetween(1, 8);
        }
        assertThat(ExifOrientation.of(ClientStyles.encode(quadrants(), "jpg"))).isEqualTo(ExifOrientation.UPRIGHT);
        assertThat(ExifOrientation.of(withExifOrientation(ClientStyles.encode(quadrants(), "jpg"), 9, true)))
                .isEqualTo(ExifOrientation.UPRIGHT);
    }

    /** Whatever the damage, callers see an image or one of the two documented exceptions. */
    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "gif", "bmp"})
    void neverFailsWithAnythingButTheDocumentedExceptions(String format) {
        ImageDecoder limited = new ImageDecoder(4_000_000);
        byte[] original = ClientStyles.encode(picture(64, 48), format);
        Random random = new Random(format.hashCode());
        for (int attempt = 0; attempt < 300; attempt++) {
            byte[] damaged = original.clone();
            int changes = 1 + random.nextInt(8);
            for (int c = 0; c < changes; c++) {
                damaged[random.nextInt(Math.min(damaged.length, attempt % 2 == 0 ? 120 : damaged.length))] =
                        (byte) random.nextInt();
            }
            Throwable thrown = catchThrowable(() -> limited.decode(damaged));
            if (thrown != null) {
                assertThat(thrown).as("attempt %d", attempt)
                        .isInstanceOfAny(InvalidImageException.class, ImageTooLargeException.class);
            }
        }
    }

    /** Blue on the right, a red disc and a gradient on the left: enough detail to make real compressed data. */
    private static BufferedImage picture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.WHITE, width / 2f, height, Color.DARK_GRAY));
        g.fillRect(0, 0, width / 2, height);
        g.setColor(Color.BLUE);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.setColor(Color.RED);
        g.fillOval(width / 8, height / 4, width / 4, height / 2);
        g.dispose();
        return image;
    }

    /** Red, green / blue, white: every flip and turn puts a different colour top left. */
    private static BufferedImage quadrants() {
        BufferedImage image = new BufferedImage(96, 64, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.WHITE};
        for (int q = 0; q < 4; q++) {
            g.setColor(colours[q]);
            g.fillRect(q % 2 * 48, q / 2 * 32, 48, 32);
        }
        g.dispose();
        return image;
    }

    private static String colourAt(BufferedImage image, int x, int y) {
        Color c = new Color(image.getRGB(x, y));
        if (c.getRed() > 200 && c.getGreen() > 200 && c.getBlue() > 200) {
            return "WHITE";
        }
        if (c.getRed() > 200) {
            return "RED";
        }
        return c.getGreen() > 200 ? "GREEN" : c.getBlue() > 200 ? "BLUE" : c.toString();
    }

    /** Inserts an EXIF APP1 segment holding only the orientation tag after the JFIF APP0 segment. */
    private static byte[] withExifOrientation(byte[] jpeg, int orientation, boolean bigEndian) {
        ByteBuffer tiff = ByteBuffer.allocate(26).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) (bigEndian ? 'M' : 'I')).put((byte) (bigEndian ? 'M' : 'I')).putShort((short) 42).putInt(8);
        tiff.putShort((short) 1); // entries
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0); // no next IFD
        byte[] exif = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer segment = ByteBuffer.allocate(4 + exif.length + tiff.capacity());
        segment.put((byte) 0xff).put((byte) 0xe1).putShort((short) (2 + exif.length + tiff.capacity()));
        segment.put(exif).put(tiff.array());
        int afterApp0 = 4 + ((jpeg[4] & 0xff) << 8 | (jpeg[5] & 0xff));
        byte[] result = new byte[jpeg.length + segment.capacity()];
        System.arraycopy(jpeg, 0, result, 0, afterApp0);
        System.arraycopy(segment.array(), 0, result, afterApp0, segment.capacity());
        System.arraycopy(jpeg, afterApp0, result, afterApp0 + segment.capacity(), jpeg.length - afterApp0);
        return result;
    }

    /** A PNG signature and IHDR chunk declaring the given size, followed by IEND: no pixel data. */
    private static byte[] pngHeader(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] header = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8) // bit depth
                .put((byte) 2) // colour type: RGB
                .put((byte) 0).put((byte) 0).put((byte) 0) // compression, filter, interlace
                .array();
        chunk(out, "IHDR", header);
        chunk(out, "IEND", new byte[0]);
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeInt(data.length);
        out.write(name);
        out.write(data);
        out.writeInt((int) crc.getValue());
    }

    private static int indexOf(byte[] bytes, byte first, byte second) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == first && bytes[i + 1] == second) {
                return i;
            }
        }
        throw new AssertionError("marker not found");
    }
}
