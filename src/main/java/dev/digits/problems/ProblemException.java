package dev.digits.problems;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A failure that the client caused or can act on, with the RFC 9457 problem detail it becomes: its
 * status, title and type, the exception's message as the detail, and any extra properties. Each
 * feature's exception declares these itself, so that the web layer renders every one of them alike
 * without knowing the features; anything else that escapes a request is a 500.
 *
 * <p>Statuses are plain numbers (constants below) so that engine packages, which know nothing of
 * HTTP libraries, can declare them too.
 */
public abstract class ProblemException extends RuntimeException {

    protected static final int BAD_REQUEST = 400;
    protected static final int NOT_FOUND = 404;
    protected static final int CONFLICT = 409;
    protected static final int CONTENT_TOO_LARGE = 413;
    protected static final int UNPROCESSABLE_CONTENT = 422;
    protected static final int SERVICE_UNAVAILABLE = 503;

    private final int status;
    private final String title;

    /**
     * @param status the HTTP status, 4xx or 5xx
     * @param title what kind of problem, the same for every occurrence: "Unknown model"
     * @param message the detail of this occurrence, for the client: it names no path of the store
     */
    protected ProblemException(int status, String title, String message) {
        this(status, title, message, null);
    }

    protected ProblemException(int status, String title, String message, Throwable cause) {
        super(message, cause);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem's status is 4xx or 5xx, not " + status);
        }
        this.status = status;
        this.title = Objects.requireNonNull(title, "title");
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The problem's type; by default derived from its title, like every problem type of ours. */
    public URI type() {
        return typeOf(title);
    }

    /** Members of the problem detail besides the standard ones, e.g. the {@code errors} of each field. */
    public Map<String, Object> properties() {
        return Map.of();
    }

    /**
     * When the client may try again ({@code Retry-After}, in whole seconds, at least 1).
     *
     * @return {@code null} unless the problem is temporary
     */
    public Duration retryAfter() {
        return null;
    }

    /** The type of a problem with this title: {@code /problems/unknown-model} for "Unknown model". */
    public static URI typeOf(String title) {
        return URI.create("/problems/" + title.toLowerCase(Locale.ROOT).replace(' ', '-'));
    }
}
