package dev.digits.storage;

/**
 * The store (database or object storage) cannot be reached now. Nothing was changed; the request
 * can be retried once it is back.
 */
public class StorageUnavailableException extends RuntimeException {

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
