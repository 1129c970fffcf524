package dev.digits.registry;

import dev.digits.problems.ProblemException;

/** A version that could not be loaded; whatever was serving keeps serving. */
public class ModelLoadException extends ProblemException {

    private final String reason;

    /** @param reason why, in words that name no filesystem path */
    public ModelLoadException(String version, String reason, Throwable cause) {
        super(UNPROCESSABLE_CONTENT, "Model cannot be used", "cannot load model version " + version + ": " + reason,
                cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
