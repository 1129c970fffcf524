package dev.digits.model;

import dev.digits.problems.ProblemException;
import java.util.Collection;

/** A network name that {@link Architectures} does not know. */
public class UnknownArchitectureException extends ProblemException {

    public UnknownArchitectureException(String name, Collection<String> known) {
        super(BAD_REQUEST, "Invalid input", "unknown architecture '" + name + "'; known architectures: "
                + String.join(", ", known));
    }
}
