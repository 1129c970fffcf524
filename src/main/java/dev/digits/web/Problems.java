package dev.digits.web;

import dev.digits.problems.ProblemException;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** How every problem detail of ours is shaped, whether an advice or a filter writes it. */
public final class Problems {

    private Problems() {
    }

    /** A title for a status that has no more specific one, in the style of ours: "Method not allowed". */
    public static String titleOf(HttpStatus status) {
        String phrase = status.getReasonPhrase();
        return phrase.charAt(0) + phrase.substring(1).toLowerCase(Locale.ROOT);
    }

    /** A problem with a specific title; its type is derived from the title, e.g. {@code /problems/unknown-model}. */
    public static ProblemDetail of(HttpStatusCode status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(ProblemException.typeOf(title));
        return problem;
    }
}
