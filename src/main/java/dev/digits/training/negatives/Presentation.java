package dev.digits.training.negatives;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.util.Random;

/**
 * How a client sends a drawing, as {@code images.ClientStyles} renders digits: a web canvas (ink
 * only in alpha), a pen on white or tinted paper, a phone photo (uneven light, sensor noise) or
 * light ink on a dark screen. Negatives and digits then differ in shape only, never in style.
 */
final class Presentation {

    private static final int[][] INKS = {{0, 0, 0}, {40, 40, 40}, {20, 60, 220}, {200, 30, 30}, {30, 120, 50}, {90, 30, 140}};

    private Presentation() {
    }

    static BufferedImage present(byte[] coverage, int width, int height, Random random) {
        double style = random.nextDouble();
        if (style < 0.35) {
            return canvas(coverage, width, height, random);
        }
        if (style < 0.75) {
            return paper(coverage, width, height, random);
        }
        if (style < 0.9) {
            return photo(coverage, width, height, random);
        }
        return screen(coverage, width, height, random);
    }

    /** RGBA, transparent where nothing was drawn, the ink's colour in rgb only where it was. */
    private static BufferedImage canvas(byte[] coverage, int width, int height, Random random) {
        int[] ink = INKS[random.nextInt(INKS.length)];
        int rgb = (ink[0] << 16) | (ink[1] << 8) | ink[2];
        int[] colours = new int[256];
        for (int c = 1; c < 256; c++) {
            colours[c] = (c << 24) | rgb;
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        lookUp(coverage, colours, image);
        return image;
    }

    /** Opaque RGB: ink on white paper, or on tinted paper half the time. */
    private static BufferedImage paper(byte[] coverage, int width, int height, Random random) {
        int[] ink = INKS[random.nextInt(INKS.length)];
        float[] paper = random.nextBoolean() ? tinted(random) : new float[] {1f, 1f, 1f};
        int[] colours = new int[256];
        for (int c = 0; c < 256; c++) {
            int rgb = 0;
            for (int channel = 0; channel < 3; channel++) {
                float value = paper[channel] + (ink[channel] / 255f - paper[channel]) * c / 255f;
                rgb = (rgb << 8) | Math.round(value * 255);
            }
            colours[c] = rgb;
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        lookUp(coverage, colours, image);
        return image;
    }

    /** Tinted paper under light falling off from 1.0 to 0.55 across the page, with sensor noise. */
    private static BufferedImage photo(byte[] coverage, int width, int height, Random random) {
        int[] ink = INKS[random.nextInt(INKS.length)];
        float[] paper = tinted(random);
        double angle = random.nextDouble() * 2 * Math.PI;
        double dx = Math.cos(angle);
        double dy = Math.sin(angle);
        double lo = Math.min(0, dx * width) + Math.min(0, dy * height);
        double hi = Math.max(0, dx * width) + Math.max(0, dy * height);
        float sigma = 0.01f + 0.02f * random.nextFloat();
        Grain grain = Grain.random(random);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                float c = (coverage[i] & 0xff) / 255f;
                float light = (float) (1 - 0.45 * ((dx * x + dy * y) - lo) / (hi - lo));
                int rgb = 0;
                for (int channel = 0; channel < 3; channel++) {
                    float reflectance = paper[channel] + (ink[channel] / 255f - paper[channel]) * c;
                    float value = light * reflectance + sigma * grain.gaussian(i * 3 + channel);
                    rgb = (rgb << 8) | Math.max(0, Math.min(255, Math.round(value * 255)));
                }
                pixels[i] = rgb;
            }
        }
        return image;
    }

    /** Light ink on a dark screen or blackboard, opaque gray. */
    private static BufferedImage screen(byte[] coverage, int width, int height, Random random) {
        float background = 0.15f * random.nextFloat();
        float ink = 0.75f + 0.25f * random.nextFloat();
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] samples = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        byte[] levels = new byte[256];
        for (int c = 0; c < 256; c++) {
            levels[c] = (byte) Math.round((background + (ink - background) * c / 255f) * 255);
        }
        for (int i = 0; i < samples.length; i++) {
            samples[i] = levels[coverage[i] & 0xff];
        }
        return image;
    }

    private static float[] tinted(Random random) {
        return new float[] {0.80f + 0.15f * random.nextFloat(), 0.80f + 0.15f * random.nextFloat(), 0.75f + 0.15f * random.nextFloat()};
    }

    private static void lookUp(byte[] coverage, int[] colours, BufferedImage image) {
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = colours[coverage[i] & 0xff];
        }
    }
}
