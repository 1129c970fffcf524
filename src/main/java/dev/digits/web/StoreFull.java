package dev.digits.web;

import java.io.IOException;
import java.util.Locale;

/**
 * Recognises a write that failed for lack of space. Java has no exception type for it: the
 * operating system's message (ENOSPC, EDQUOT) is all an {@link IOException} carries.
 */
public final class StoreFull {

    static final String DETAIL = "the store is full: nothing was stored, and what the request had written was "
            + "removed; free space in the store and try again";

    private StoreFull() {
    }

    public static boolean isCause(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof IOException && e.getMessage() != null) {
                String message = e.getMessage().toLowerCase(Locale.ROOT);
                if (message.contains("no space left on device") || message.contains("disk quota exceeded")) {
                    return true;
                }
            }
            for (Throwable suppressed : e.getSuppressed()) {
                if (isCause(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }
}
