package dev.digits.registry;

import dev.digits.problems.ProblemException;

/** A version or alias that the registry does not have. */
public class UnknownModelException extends ProblemException {

    public UnknownModelException(String versionOrAlias) {
        super(NOT_FOUND, "Unknown model", "no model version or alias '" + versionOrAlias + "'");
    }
}
