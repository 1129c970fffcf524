package dev.digits.inference.v2;

/** A request the protocol cannot run: malformed JSON or framing, an unknown tensor, a wrong shape or datatype. 400. */
class InvalidInferenceRequestException extends RuntimeException {

    InvalidInferenceRequestException(String message) {
        super(message);
    }

    InvalidInferenceRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
