package dev.digits.registry;

/** An uploaded model that is not a usable model archive; nothing was registered. */
public class InvalidModelArchiveException extends RuntimeException {

    public InvalidModelArchiveException(String message) {
        super(message);
    }

    public InvalidModelArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
