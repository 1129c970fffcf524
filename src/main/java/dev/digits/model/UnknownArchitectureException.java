package dev.digits.model;

import java.util.Collection;

/** A network name that {@link Architectures} does not know. */
public class UnknownArchitectureException extends IllegalArgumentException {

    public UnknownArchitectureException(String name, Collection<String> known) {
        super("unknown architecture '" + name + "'; known architectures: " + String.join(", ", known));
    }
}
