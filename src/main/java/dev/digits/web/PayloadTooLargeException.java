package dev.digits.web;

/** A request over a size limit (body bytes or images per request), refused before any work. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
