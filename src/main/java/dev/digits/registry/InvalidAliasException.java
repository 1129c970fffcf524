package dev.digits.registry;

/** An alias name that is not allowed. */
public class InvalidAliasException extends RuntimeException {

    public InvalidAliasException(String message) {
        super(message);
    }
}
