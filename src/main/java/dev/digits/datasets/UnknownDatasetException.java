package dev.digits.datasets;

/** A dataset id that does not exist. */
public class UnknownDatasetException extends RuntimeException {

    public UnknownDatasetException(String id) {
        super("no dataset '" + id + "'");
    }
}
