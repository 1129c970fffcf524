package dev.digits.datasets;

import dev.digits.problems.ProblemException;

/** An upload that cannot become a dataset; nothing was stored. */
public class InvalidDatasetException extends ProblemException {

    public InvalidDatasetException(String message) {
        super(BAD_REQUEST, "Invalid dataset", message);
    }
}
