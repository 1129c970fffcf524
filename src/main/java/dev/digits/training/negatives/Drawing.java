package dev.digits.training.negatives;

import java.util.Random;

/** One family's way of drawing a negative as ink coverage on a {@link Page}. */
interface Drawing {

    void draw(Page page, Random random);
}
