package dev.digits.registry;

import dev.digits.problems.ProblemException;

/** An uploaded model that is not a usable model archive; nothing was registered. */
public class InvalidModelArchiveException extends ProblemException {

    public InvalidModelArchiveException(String message) {
        super(UNPROCESSABLE_CONTENT, "Invalid model archive", message);
    }

    public InvalidModelArchiveException(String message, Throwable cause) {
        super(UNPROCESSABLE_CONTENT, "Invalid model archive", message, cause);
    }
}
