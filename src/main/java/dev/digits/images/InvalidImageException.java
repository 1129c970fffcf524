package dev.digits.images;

import dev.digits.problems.ProblemException;

/** Bytes that are not a readable PNG, JPEG, GIF or BMP image: empty, unknown, truncated or corrupt. */
public class InvalidImageException extends ProblemException {

    public InvalidImageException(String message) {
        super(BAD_REQUEST, "Invalid image", message);
    }

    public InvalidImageException(String message, Throwable cause) {
        super(BAD_REQUEST, "Invalid image", message, cause);
    }
}
