package dev.digits.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DigitAugmentationTests {

    @Test
    void identityWarpKeepsTheImage() {
        float[] image = new float[784];
        image[14 * 28 + 10] = 1f;
        assertThat(DigitAugmentation.warp(image, 0, 1, 0, 0)).containsExactly(image, within(1e-6f));
    }

    @Test
    void shiftMovesInkWithoutMirroring() {
        float[] image = new float[784];
        image[10 * 28 + 5] = 1f;
        float[] shifted = DigitAugmentation.warp(image, 0, 1, 3, 2);
        assertThat(shifted[12 * 28 + 8]).isEqualTo(1f, within(1e-5f));
        assertThat(shifted[10 * 28 + 5]).isZero();
    }

    @Test
    void rotationKeepsTheInkNearItsPlace() {
        float[] image = new float[784];
        for (int y = 6; y < 22; y++) {
            image[y * 28 + 14] = 1f;
        }
        float[] rotated = DigitAugmentation.warp(image, (float) Math.toRadians(12), 1.1f, 0, 0);
        float before = 0;
        float after = 0;
        for (int i = 0; i < 784; i++) {
            before += image[i];
            after += rotated[i];
        }
        // scaling by 1.1 lengthens the stroke by about 10 %; a flip or a big rotation would not matter here,
        // but losing the ink would.
        assertThat(after).isBetween(before * 0.95f, before * 1.25f);
    }
}
