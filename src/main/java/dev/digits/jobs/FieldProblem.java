package dev.digits.jobs;

/** One invalid field of a request, as listed in a 400 response. */
public record FieldProblem(String field, String message) {
}
