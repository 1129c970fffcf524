package dev.digits.registry;

import dev.digits.problems.ProblemException;

/** A rollback asked for while no {@code previous} version is recorded. */
public class RollbackUnavailableException extends ProblemException {

    public RollbackUnavailableException() {
        super(CONFLICT, "Nothing to roll back to", "there is no 'previous' version to roll back to");
    }
}
