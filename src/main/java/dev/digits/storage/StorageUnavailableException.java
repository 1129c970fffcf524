package dev.digits.storage;

import dev.digits.problems.ProblemException;
import java.time.Duration;

/**
 * The store (database or object storage) cannot be reached now. Nothing was changed; the request
 * can be retried once it is back: 503 with {@code Retry-After}.
 */
public class StorageUnavailableException extends ProblemException {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** @param message for the client: it names no address, bucket or credential of the store */
    public StorageUnavailableException(String message, Throwable cause) {
        super(SERVICE_UNAVAILABLE, "Storage unavailable", message, cause);
    }

    @Override
    public Duration retryAfter() {
        return RETRY_AFTER;
    }
}
