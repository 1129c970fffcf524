package dev.digits.web;

import dev.digits.problems.ProblemException;

/** A request over a size limit (body bytes or images per request), refused before any work. */
public class PayloadTooLargeException extends ProblemException {

    public PayloadTooLargeException(String message) {
        super(CONTENT_TOO_LARGE, "Request too large", message);
    }
}
