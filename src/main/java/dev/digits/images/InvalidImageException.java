package dev.digits.images;

/** Bytes that are not a readable PNG, JPEG, GIF or BMP image: empty, unknown, truncated or corrupt. */
public class InvalidImageException extends RuntimeException {

    public InvalidImageException(String message) {
        super(message);
    }

    public InvalidImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
