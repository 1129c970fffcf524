package dev.digits.web;

import dev.digits.problems.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where exceptions become RFC 9457 problem details. Ours are all
 * {@link ProblemException}s, each declaring its own problem, so this knows no feature; Spring MVC's
 * own errors (415, 405, unreadable bodies, upload limits) come through the inherited handlers;
 * anything else is a 500, or a 507 when a write ran out of space.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    /**
     * Every failure of ours that a client can act on: its exception declares the status, title,
     * type, extra properties and {@code Retry-After} of the problem; its message is the detail.
     */
    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> problem(ProblemException e) {
        HttpStatusCode status = HttpStatusCode.valueOf(e.status());
        ProblemDetail body = Problems.of(status, e.title(), e.getMessage());
        body.setType(e.type());
        e.properties().forEach(body::setProperty);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
        if (e.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, e.retryAfter().toSeconds())));
        }
        return response.body(body);
    }

    /** A multipart body that cannot be parsed: no boundary, no closing boundary, a broken part header. */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> invalidMultipart(MultipartException e) {
        if (StoreFull.isCause(e)) {
            return storeFull(e);
        }
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "Invalid multipart request",
                "the multipart body cannot be parsed: it needs a boundary in its Content-Type, parts that start "
                        + "with it and a closing boundary"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (StoreFull.isCause(e)) {
            return storeFull(e);
        }
        log.error("unhandled error", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                        "the server failed to handle the request; see its log"));
    }

    /** Any write to the store that ran out of space (upload, import, feedback, job, promotion): 507. */
    private static ResponseEntity<ProblemDetail> storeFull(Exception e) {
        log.warn("a write failed because the store is full: {}", e.toString());
        return ResponseEntity.status(HttpStatus.INSUFFICIENT_STORAGE)
                .body(Problems.of(HttpStatus.INSUFFICIENT_STORAGE, "Insufficient storage", StoreFull.DETAIL));
    }
}
