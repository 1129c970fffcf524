package dev.digits.data;

import ai.djl.ndarray.NDArray;
import ai.djl.translate.Transform;
import dev.digits.model.InputContract;
import java.util.Random;

/**
 * Digit-safe random affine distortion of one {@code [1, 28, 28]} image: small shifts, rotations and
 * scaling, the variations real handwriting has. No flips or large rotations, which would turn a
 * 6 into a 9 or a 2 into a 5. The warp runs on the heap because it is cheaper than a dozen native
 * calls per image.
 */
public final class DigitAugmentation implements Transform {

    private static final int SIZE = InputContract.SIZE;
    private static final float CENTRE = (SIZE - 1) / 2f;

    private final float maxShift;
    private final float maxRadians;
    private final float maxScale;
    private final Random random;

    /**
     * @param maxShift pixels in each direction
     * @param maxDegrees rotation either way
     * @param maxScale relative size change either way, e.g. 0.1 for 90–110 %
     */
    public DigitAugmentation(float maxShift, float maxDegrees, float maxScale, long seed) {
        this.maxShift = maxShift;
        this.maxRadians = (float) Math.toRadians(maxDegrees);
        this.maxScale = maxScale;
        this.random = new Random(seed);
    }

    /** The distortion the bundled model was trained with: ±2 px, ±12°, ±10 %. */
    public static DigitAugmentation standard(long seed) {
        return new DigitAugmentation(2f, 12f, 0.10f, seed);
    }

    @Override
    public NDArray transform(NDArray image) {
        float[] source = image.toFloatArray();
        float[] target;
        synchronized (random) {
            target = warp(source, uniform(maxRadians), 1 + uniform(maxScale), uniform(maxShift), uniform(maxShift));
        }
        return image.getManager().create(target, image.getShape());
    }

    private float uniform(float max) {
        return (random.nextFloat() * 2 - 1) * max;
    }

    /** Inverse-maps every target pixel into the source and samples it bilinearly; outside is black. */
    static float[] warp(float[] source, float radians, float scale, float dx, float dy) {
        float[] target = new float[SIZE * SIZE];
        float cos = (float) Math.cos(radians) / scale;
        float sin = (float) Math.sin(radians) / scale;
        for (int y = 0; y < SIZE; y++) {
            float v = y - CENTRE - dy;
            for (int x = 0; x < SIZE; x++) {
                float u = x - CENTRE - dx;
                float sx = cos * u + sin * v + CENTRE;
                float sy = -sin * u + cos * v + CENTRE;
                target[y * SIZE + x] = bilinear(source, sx, sy);
            }
        }
        return target;
    }

    private static float bilinear(float[] image, float x, float y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        float fx = x - x0;
        float fy = y - y0;
        return (1 - fx) * (1 - fy) * pixel(image, x0, y0) + fx * (1 - fy) * pixel(image, x0 + 1, y0)
                + (1 - fx) * fy * pixel(image, x0, y0 + 1) + fx * fy * pixel(image, x0 + 1, y0 + 1);
    }

    private static float pixel(float[] image, int x, int y) {
        return x < 0 || y < 0 || x >= SIZE || y >= SIZE ? 0f : image[y * SIZE + x];
    }
}
