package dev.digits.images;

/** A rectangle in an image's pixels: left, top, width and height. */
public record Box(int x, int y, int width, int height) {

    /** The same box in an image {@code factor} times larger (one decoded with subsampling). */
    public Box scaled(int factor) {
        return new Box(x * factor, y * factor, width * factor, height * factor);
    }
}
