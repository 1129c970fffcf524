package dev.digits.web;

import java.util.Set;
import org.springframework.util.unit.DataSize;

/**
 * The largest body that requests to some paths accept. Each feature declares the limits of its own
 * endpoints as beans of this type, and {@link RequestLimits} gathers them, so that this package
 * needs to know no feature. A path is matched exactly, without the context path and the query.
 */
public record BodyLimit(Set<String> paths, DataSize maxSize) {

    public BodyLimit {
        paths = Set.copyOf(paths);
        if (maxSize.isNegative()) {
            throw new IllegalArgumentException("a body limit cannot be negative: " + maxSize);
        }
    }

    public static BodyLimit of(DataSize maxSize, String... paths) {
        return new BodyLimit(Set.of(paths), maxSize);
    }
}
