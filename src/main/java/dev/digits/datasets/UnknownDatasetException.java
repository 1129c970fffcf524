package dev.digits.datasets;

import dev.digits.problems.ProblemException;

/** A dataset id that does not exist. */
public class UnknownDatasetException extends ProblemException {

    public UnknownDatasetException(String id) {
        super(NOT_FOUND, "Not found", "no dataset '" + id + "'");
    }
}
