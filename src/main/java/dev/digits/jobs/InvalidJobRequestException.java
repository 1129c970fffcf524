package dev.digits.jobs;

import java.util.List;

/** A job request with one or more invalid fields; all of them are reported at once. */
public class InvalidJobRequestException extends RuntimeException {

    private final List<FieldProblem> problems;

    public InvalidJobRequestException(List<FieldProblem> problems) {
        super(problems.size() + " invalid field(s): " + String.join("; ",
                problems.stream().map(p -> p.field() + ": " + p.message()).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
