package dev.digits.images;

import dev.digits.problems.ProblemException;
import java.util.Locale;

/** An image whose header declares more pixels than the decoder is allowed to allocate. */
public class ImageTooLargeException extends ProblemException {

    private final int width;
    private final int height;
    private final long maxPixels;

    public ImageTooLargeException(int width, int height, long maxPixels) {
        super(CONTENT_TOO_LARGE, "Image too large", String.format(Locale.ROOT,
                "image is %d×%d pixels (%,d), more than the limit of %,d pixels", width, height,
                (long) width * height, maxPixels));
        this.width = width;
        this.height = height;
        this.maxPixels = maxPixels;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public long maxPixels() {
        return maxPixels;
    }
}
