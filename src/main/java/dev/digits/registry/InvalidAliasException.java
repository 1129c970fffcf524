package dev.digits.registry;

import dev.digits.problems.ProblemException;

/** An alias name that is not allowed. */
public class InvalidAliasException extends ProblemException {

    public InvalidAliasException(String message) {
        super(BAD_REQUEST, "Invalid input", message);
    }
}
