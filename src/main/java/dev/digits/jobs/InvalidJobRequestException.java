package dev.digits.jobs;

import dev.digits.problems.ProblemException;
import java.util.List;
import java.util.Map;

/** A job request with one or more invalid fields; all of them are reported at once. */
public class InvalidJobRequestException extends ProblemException {

    private final List<FieldProblem> problems;

    public InvalidJobRequestException(List<FieldProblem> problems) {
        super(BAD_REQUEST, "Invalid job request", problems.size() + " invalid field(s): " + String.join("; ",
                problems.stream().map(p -> p.field() + ": " + p.message()).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    /** Each invalid field and why, as {@code errors}. */
    @Override
    public Map<String, Object> properties() {
        return Map.of("errors", problems);
    }
}
