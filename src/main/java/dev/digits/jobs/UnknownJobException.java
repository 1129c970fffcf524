package dev.digits.jobs;

/** A job id that does not exist. */
public class UnknownJobException extends RuntimeException {

    public UnknownJobException(String id) {
        super("no job '" + id + "'");
    }
}
