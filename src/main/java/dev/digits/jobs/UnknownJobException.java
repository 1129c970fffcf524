package dev.digits.jobs;

import dev.digits.problems.ProblemException;

/** A job id that does not exist. */
public class UnknownJobException extends ProblemException {

    public UnknownJobException(String id) {
        super(NOT_FOUND, "Not found", "no job '" + id + "'");
    }
}
