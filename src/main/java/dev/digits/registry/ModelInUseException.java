package dev.digits.registry;

import java.util.Collection;

/** A version that cannot be deleted because aliases point at it. */
public class ModelInUseException extends RuntimeException {

    public ModelInUseException(String version, Collection<String> aliases) {
        super("version " + version + " is in use by alias(es) " + String.join(", ", aliases) + "; move them first");
    }
}
