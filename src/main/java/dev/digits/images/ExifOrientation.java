package dev.digits.images;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * Phone cameras store pixels as the sensor saw them and record in EXIF how to turn them upright;
 * ImageIO ignores that tag, which would show a portrait photo's digit lying on its side.
 */
final class ExifOrientation {

    static final int UPRIGHT = 1;
    private static final int ORIENTATION_TAG = 0x0112;

    private ExifOrientation() {
    }

    /** The EXIF orientation (1–8) of JPEG bytes; {@link #UPRIGHT} when absent or unreadable. */
    static int of(byte[] jpeg) {
        try {
            return find(jpeg);
        } catch (IndexOutOfBoundsException e) {
            return UPRIGHT;
        }
    }

    private static int find(byte[] b) {
        if (b.length < 4 || (b[0] & 0xff) != 0xff || (b[1] & 0xff) != 0xd8) {
            return UPRIGHT;
        }
        int at = 2;
        while (at + 4 <= b.length && (b[at] & 0xff) == 0xff) {
            int marker = b[at + 1] & 0xff;
            int length = u16(b, at + 2, true);
            if (marker == 0xda || length < 2) {
                return UPRIGHT;
            }
            if (marker == 0xe1 && length >= 16 && b[at + 4] == 'E' && b[at + 5] == 'x' && b[at + 6] == 'i'
                    && b[at + 7] == 'f' && b[at + 8] == 0 && b[at + 9] == 0) {
                return fromTiff(b, at + 10, at + 2 + length);
            }
            at += 2 + length;
        }
        return UPRIGHT;
    }

    private static int fromTiff(byte[] b, int tiff, int end) {
        boolean bigEndian;
        if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            bigEndian = true;
        } else if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            bigEndian = false;
        } else {
            return UPRIGHT;
        }
        long ifd = u32(b, tiff + 4, bigEndian);
        if (ifd < 8 || tiff + ifd + 2 > end) {
            return UPRIGHT;
        }
        int entries = u16(b, (int) (tiff + ifd), bigEndian);
        for (int i = 0; i < entries; i++) {
            int entry = (int) (tiff + ifd + 2 + 12L * i);
            if (entry + 12 > end) {
                return UPRIGHT;
            }
            if (u16(b, entry, bigEndian) == ORIENTATION_TAG) {
                int value = u16(b, entry + 8, bigEndian);
                return value >= 1 && value <= 8 ? value : UPRIGHT;
            }
        }
        return UPRIGHT;
    }

    /** Turns {@code image} upright; orientations 5–8 swap width and height. */
    static BufferedImage apply(BufferedImage image, int orientation) {
        if (orientation <= UPRIGHT || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swaps = orientation >= 5;
        Raster source = image.getRaster();
        WritableRaster upright = source.createCompatibleWritableRaster(swaps ? h : w, swaps ? w : h);
        // Pixel by pixel through data elements: slower than a blit, but right for every raster layout,
        // where AffineTransformOp refuses many of them.
        Object pixel = null;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                pixel = source.getDataElements(x, y, pixel);
                switch (orientation) {
                    case 2 -> upright.setDataElements(w - 1 - x, y, pixel);
                    case 3 -> upright.setDataElements(w - 1 - x, h - 1 - y, pixel);
                    case 4 -> upright.setDataElements(x, h - 1 - y, pixel);
                    case 5 -> upright.setDataElements(y, x, pixel);
                    case 6 -> upright.setDataElements(h - 1 - y, x, pixel);
                    case 7 -> upright.setDataElements(h - 1 - y, w - 1 - x, pixel);
                    default -> upright.setDataElements(y, w - 1 - x, pixel);
                }
            }
        }
        return new BufferedImage(image.getColorModel(), upright, image.isAlphaPremultiplied(), null);
    }

    private static int u16(byte[] b, int at, boolean bigEndian) {
        return bigEndian ? (b[at] & 0xff) << 8 | (b[at + 1] & 0xff) : (b[at + 1] & 0xff) << 8 | (b[at] & 0xff);
    }

    private static long u32(byte[] b, int at, boolean bigEndian) {
        return bigEndian ? (long) u16(b, at, true) << 16 | u16(b, at + 2, true)
                : (long) u16(b, at + 2, false) << 16 | u16(b, at, false);
    }
}
