package dev.digits.images;

import dev.digits.model.InputContract;

/**
 * Places a digit the way MNIST was made: scaled to fit a 20×20 box keeping its aspect ratio, then
 * shifted by whole pixels so its centre of mass lands on the centre of the 28×28 field.
 */
final class MnistFrame {

    static final int BOX = 20;
    static final int SIZE = InputContract.SIZE;
    /** Index coordinates of the field's centre as MNIST uses it: its centres of mass lie in [13.5, 14.5]. */
    static final double CENTRE = 14.0;

    private MnistFrame() {
    }

    static float[] place(DigitCrop crop) {
        double scale = (double) BOX / Math.max(crop.width(), crop.height());
        int w = Math.max(1, Math.min(BOX, (int) Math.round(crop.width() * scale)));
        int h = Math.max(1, Math.min(BOX, (int) Math.round(crop.height() * scale)));
        float[] digit = Resampling.resize(crop.values(), crop.width(), crop.height(), w, h);
        double mass = 0;
        double sumX = 0;
        double sumY = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = digit[y * w + x];
                mass += v;
                sumX += v * x;
                sumY += v * y;
            }
        }
        float[] frame = new float[SIZE * SIZE];
        if (mass <= 0) {
            return frame;
        }
        int offsetX = (int) Math.round(CENTRE - sumX / mass);
        int offsetY = (int) Math.round(CENTRE - sumY / mass);
        for (int y = 0; y < h; y++) {
            int fy = y + offsetY;
            if (fy < 0 || fy >= SIZE) {
                continue;
            }
            for (int x = 0; x < w; x++) {
                int fx = x + offsetX;
                if (fx >= 0 && fx < SIZE) {
                    frame[fy * SIZE + fx] = Math.max(0, Math.min(1, digit[y * w + x]));
                }
            }
        }
        return frame;
    }
}
