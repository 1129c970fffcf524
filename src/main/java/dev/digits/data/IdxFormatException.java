package dev.digits.data;

/** An IDX file that cannot be used; the message always names the file and the problem. */
public class IdxFormatException extends RuntimeException {

    public IdxFormatException(String file, String problem) {
        super(file + ": " + problem);
    }

    public IdxFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
