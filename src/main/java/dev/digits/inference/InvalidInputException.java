package dev.digits.inference;

import dev.digits.problems.ProblemException;

/** A request whose content cannot be turned into images: wrong JSON shape, pixel count, values. */
public class InvalidInputException extends ProblemException {

    public InvalidInputException(String message) {
        super(BAD_REQUEST, "Invalid input", message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(BAD_REQUEST, "Invalid input", message, cause);
    }
}
