package dev.digits.model;

/** A saved model that cannot be trusted or loaded: bad metadata, wrong checksum, wrong shapes. */
public class ModelFormatException extends RuntimeException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
