package dev.digits.images;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.util.Arrays;

/**
 * Any decoded image to luminance, with transparency flattened. Canvas drawings often carry the
 * ink only in alpha (rgb 0,0,0 everywhere), so transparent pixels are filled with whatever
 * contrasts with the ink's colour rather than with a fixed white or black.
 */
final class GrayConversion {

    private GrayConversion() {
    }

    static GrayImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] lum = new float[w * h];
        float[] alpha = image.getColorModel().hasAlpha() ? new float[w * h] : null;
        if (isPlainGray(image.getColorModel())) {
            readGray(image.getRaster(), image.getColorModel(), lum, alpha);
        } else {
            readArgb(argbPixels(image), lum, alpha);
        }
        if (alpha != null) {
            flatten(lum, alpha);
        }
        return new GrayImage(w, h, lum);
    }

    /**
     * Gray images are read from their samples: going through RGB would apply the gray colour
     * space's gamma and shift every value.
     */
    private static boolean isPlainGray(ColorModel model) {
        return model instanceof ComponentColorModel && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && model.getNumColorComponents() == 1 && !model.isAlphaPremultiplied()
                && (model.getTransferType() == DataBuffer.TYPE_BYTE || model.getTransferType() == DataBuffer.TYPE_USHORT);
    }

    private static void readGray(Raster raster, ColorModel model, float[] lum, float[] alpha) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int x0 = raster.getMinX();
        int y0 = raster.getMinY();
        raster.getSamples(x0, y0, w, h, 0, lum);
        scale(lum, 1f / ((1 << model.getComponentSize(0)) - 1));
        if (alpha != null) {
            raster.getSamples(x0, y0, w, h, 1, alpha);
            scale(alpha, 1f / ((1 << model.getComponentSize(1)) - 1));
        }
    }

    private static int[] argbPixels(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_ARGB || image.getType() == BufferedImage.TYPE_INT_RGB) {
            return (int[]) image.getRaster().getDataElements(0, 0, image.getWidth(), image.getHeight(), null);
        }
        // Java2D's blit loops convert any layout (indexed, BGR, 16-bit, custom) to ARGB far faster than getRGB.
        BufferedImage argb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = argb.createGraphics();
        try {
            g.setComposite(AlphaComposite.Src);
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return ((DataBufferInt) argb.getRaster().getDataBuffer()).getData();
    }

    private static void readArgb(int[] argb, float[] lum, float[] alpha) {
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            lum[i] = (0.299f * ((p >> 16) & 0xff) + 0.587f * ((p >> 8) & 0xff) + 0.114f * (p & 0xff)) / 255f;
            if (alpha != null) {
                alpha[i] = (p >>> 24) / 255f;
            }
        }
    }

    private static void flatten(float[] lum, float[] alpha) {
        double coverage = 0;
        double weighted = 0;
        for (int i = 0; i < lum.length; i++) {
            coverage += alpha[i];
            weighted += alpha[i] * lum[i];
        }
        if (coverage == 0) {
            Arrays.fill(lum, 1f);
            return;
        }
        float background = weighted / coverage < 0.5 ? 1f : 0f;
        for (int i = 0; i < lum.length; i++) {
            lum[i] = alpha[i] * lum[i] + (1 - alpha[i]) * background;
        }
    }

    private static void scale(float[] values, float factor) {
        for (int i = 0; i < values.length; i++) {
            values[i] *= factor;
        }
    }
}
