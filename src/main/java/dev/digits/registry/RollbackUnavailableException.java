package dev.digits.registry;

/** A rollback asked for while no {@code previous} version is recorded. */
public class RollbackUnavailableException extends RuntimeException {

    public RollbackUnavailableException() {
        super("there is no 'previous' version to roll back to");
    }
}
