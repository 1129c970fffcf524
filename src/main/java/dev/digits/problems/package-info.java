/**
 * What a failure means to a client, declared by the feature that fails and free of any web
 * framework: {@link dev.digits.problems.ProblemException} carries the HTTP status, title, type and
 * extra properties of an RFC 9457 problem detail, and {@code web}'s advice renders any of them the
 * same way. Every package may use this one; it uses none of ours.
 */
package dev.digits.problems;
