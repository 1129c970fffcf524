package dev.digits.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The error body of a wire protocol whose errors are not problem details (the Open Inference
 * Protocol's {@code {"error": "..."}}). Filters that refuse a request before Spring MVC sees it ask
 * each of these first, so the protocol's clients always get the errors it defines.
 */
public interface ProtocolErrors {

    /** Whether this request belongs to the protocol. */
    boolean covers(HttpServletRequest request);

    /** Writes the status and the protocol's error body; headers already set stay. */
    void write(HttpServletResponse response, int status, String message) throws IOException;
}
