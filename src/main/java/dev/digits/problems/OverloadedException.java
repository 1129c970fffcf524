package dev.digits.problems;

import java.time.Duration;

/**
 * A queue that is full (predictions, explanations, jobs), a result that took too long, or a replica
 * that does not do the work: the client should retry later, or elsewhere. 503 with {@code Retry-After}.
 */
public class OverloadedException extends ProblemException {

    private final Duration retryAfter;

    public OverloadedException(String message, Duration retryAfter) {
        super(SERVICE_UNAVAILABLE, "Overloaded", message);
        this.retryAfter = retryAfter;
    }

    /** Never {@code null}. */
    @Override
    public Duration retryAfter() {
        return retryAfter;
    }
}
