package dev.digits.storage;

/** A blob is missing, or its bytes are not the ones its SHA-256 names. */
public class CorruptBlobException extends RuntimeException {

    public CorruptBlobException(String message) {
        super(message);
    }
}
