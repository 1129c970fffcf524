package dev.digits.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes client uploads (PNG, JPEG, GIF, BMP) without letting them exhaust memory: the size is read
 * from the header before any pixel is allocated, and big photos are decoded subsampled. JPEG photos
 * are turned upright by their EXIF orientation. Thread-safe: every call uses its own reader.
 */
public final class ImageDecoder {

    /** A digit needs far fewer pixels than a phone photo has; decoding more only costs memory and time. */
    static final int MAX_DECODED_SIDE = 1024;

    private static final Map<String, String> ACCEPTED = Map.of("png", "PNG", "jpeg", "JPEG", "jpg", "JPEG",
            "gif", "GIF", "bmp", "BMP");

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive but is " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    /**
     * A decoded image and how many of the upload's pixels each of its pixels stands for along each
     * side: 1, or the subsampling step of a big photo. Multiply a position found in the image by it
     * to point at the upload.
     */
    public record Decoded(BufferedImage image, int scale) {
    }

    /**
     * @throws InvalidImageException if the bytes are empty, of another format, truncated or corrupt
     * @throws ImageTooLargeException if the header declares more than {@code maxPixels} pixels
     */
    public BufferedImage decode(byte[] bytes) {
        return decodeScaled(bytes).image();
    }

    /** {@link #decode}, saying how the image was scaled down from the upload. */
    public Decoded decodeScaled(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidImageException("empty image: no bytes were sent");
        }
        // MemoryCacheImageInputStream, not ImageIO.createImageInputStream: the latter may cache to a temp file.
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = acceptedReader(input);
            String format = ACCEPTED.get(formatOf(reader));
            Decoded decoded;
            try {
                decoded = read(reader, input, format);
            } finally {
                reader.dispose();
            }
            return format.equals("JPEG")
                    ? new Decoded(ExifOrientation.apply(decoded.image(), ExifOrientation.of(bytes)), decoded.scale())
                    : decoded;
        } catch (IOException e) {
            throw new InvalidImageException("unreadable image: " + e.getMessage(), e);
        }
    }

    private static ImageReader acceptedReader(ImageInputStream input) {
        Iterator<ImageReader> readers;
        try {
            readers = ImageIO.getImageReaders(input);
        } catch (RuntimeException e) {
            throw notSupported();
        }
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (ACCEPTED.containsKey(formatOf(reader))) {
                return reader;
            }
            reader.dispose();
        }
        throw notSupported();
    }

    private Decoded read(ImageReader reader, ImageInputStream input, String format) {
        int width;
        int height;
        try {
            reader.setInput(input, true, true);
            width = reader.getWidth(0);
            height = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            throw corrupt(format, e.getMessage(), e);
        }
        if (width <= 0 || height <= 0) {
            throw corrupt(format, "header declares " + width + "×" + height + " pixels", null);
        }
        if ((long) width * height > maxPixels) {
            throw new ImageTooLargeException(width, height, maxPixels);
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int step = subsamplingStep(Math.max(width, height));
        if (step > 1) {
            param.setSourceSubsampling(step, step, 0, 0);
        }
        // The JPEG and GIF readers report truncated or damaged data as warnings and fill in the rest.
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> {
            if (!isHarmless(warning)) {
                warnings.add(warning);
            }
        });
        BufferedImage image;
        try {
            image = reader.read(0, param);
        } catch (IOException | RuntimeException e) {
            throw corrupt(format, e instanceof EOFException ? "data ends early" : e.getMessage(), e);
        }
        if (!warnings.isEmpty()) {
            throw corrupt(format, warnings.get(0), null);
        }
        return new Decoded(image, step);
    }

    /** The smallest step that brings the longer side to at most {@link #MAX_DECODED_SIDE}. */
    static int subsamplingStep(int longerSide) {
        return Math.max(1, (longerSide + MAX_DECODED_SIDE - 1) / MAX_DECODED_SIDE);
    }

    /** Cameras and editors commonly leave stray bytes before a marker; the picture is still complete. */
    private static boolean isHarmless(String warning) {
        return warning != null && warning.contains("extraneous bytes before marker");
    }

    private static String formatOf(ImageReader reader) {
        try {
            return reader.getFormatName().toLowerCase(Locale.ROOT);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static InvalidImageException notSupported() {
        return new InvalidImageException("not a PNG, JPEG, GIF or BMP image");
    }

    private static InvalidImageException corrupt(String format, String detail, Throwable cause) {
        String message = "truncated or corrupt " + format + " image";
        return new InvalidImageException(detail == null || detail.isBlank() ? message : message + ": " + detail, cause);
    }
}
