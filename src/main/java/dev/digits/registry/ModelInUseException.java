package dev.digits.registry;

import dev.digits.problems.ProblemException;
import java.util.Collection;

/** A version that cannot be deleted because aliases point at it. */
public class ModelInUseException extends ProblemException {

    public ModelInUseException(String version, Collection<String> aliases) {
        super(CONFLICT, "Model in use", "version " + version + " is in use by alias(es) " + String.join(", ", aliases)
                + "; move them first");
    }
}
