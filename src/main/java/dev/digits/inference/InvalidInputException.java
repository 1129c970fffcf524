package dev.digits.inference;

/** A request whose content cannot be turned into images: wrong JSON shape, pixel count, values. */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
