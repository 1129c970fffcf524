package dev.digits.images;

/** A number with more digits than a reader takes, or an image too wide to be one line of such a number. */
public class NumberTooLongException extends RuntimeException {

    public NumberTooLongException(String message) {
        super(message);
    }
}
