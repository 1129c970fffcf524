package dev.digits.registry;

import dev.digits.problems.ProblemException;

/** A version whose folder exists but cannot be read or trusted (missing or broken files). */
public class DamagedModelException extends ProblemException {

    public DamagedModelException(String version, String reason) {
        super(UNPROCESSABLE_CONTENT, "Model cannot be used", "model version " + version + " is damaged: " + reason);
    }
}
