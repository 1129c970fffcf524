package dev.digits.model;

import dev.digits.problems.ProblemException;

/** A saved model that cannot be trusted or loaded: bad metadata, wrong checksum, wrong shapes. */
public class ModelFormatException extends ProblemException {

    public ModelFormatException(String message) {
        super(UNPROCESSABLE_CONTENT, "Model cannot be used", message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(UNPROCESSABLE_CONTENT, "Model cannot be used", message, cause);
    }
}
