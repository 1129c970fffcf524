package dev.digits.datasets;

/** An upload that cannot become a dataset; nothing was stored. */
public class InvalidDatasetException extends RuntimeException {

    public InvalidDatasetException(String message) {
        super(message);
    }
}
