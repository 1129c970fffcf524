package dev.digits.web;

import dev.digits.datasets.InvalidDatasetException;
import dev.digits.datasets.UnknownDatasetException;
import dev.digits.images.ImageTooLargeException;
import dev.digits.images.InvalidImageException;
import dev.digits.inference.InvalidInputException;
import dev.digits.inference.OverloadedException;
import dev.digits.jobs.InvalidJobRequestException;
import dev.digits.jobs.UnknownJobException;
import dev.digits.model.ModelFormatException;
import dev.digits.model.UnknownArchitectureException;
import dev.digits.registry.DamagedModelException;
import dev.digits.registry.InvalidAliasException;
import dev.digits.registry.InvalidModelArchiveException;
import dev.digits.registry.ModelInUseException;
import dev.digits.registry.ModelLoadException;
import dev.digits.registry.RollbackUnavailableException;
import dev.digits.registry.UnknownModelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where our exceptions become RFC 9457 problem details. Spring MVC's own errors
 * (415, 405, unreadable bodies, upload limits) come through the inherited handlers.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler({InvalidInputException.class, UnknownArchitectureException.class, InvalidAliasException.class})
    ResponseEntity<ProblemDetail> invalidInput(RuntimeException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid input", e);
    }

    @ExceptionHandler(InvalidImageException.class)
    ResponseEntity<ProblemDetail> invalidImage(InvalidImageException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid image", e);
    }

    @ExceptionHandler(ImageTooLargeException.class)
    ResponseEntity<ProblemDetail> imageTooLarge(ImageTooLargeException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Image too large", e);
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> payloadTooLarge(PayloadTooLargeException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Request too large", e);
    }

    @ExceptionHandler(InvalidJobRequestException.class)
    ResponseEntity<ProblemDetail> invalidJob(InvalidJobRequestException e) {
        ProblemDetail body = Problems.of(HttpStatus.BAD_REQUEST, "Invalid job request", e.getMessage());
        body.setProperty("errors", e.problems());
        return ResponseEntity.badRequest().body(body);
    }

    @ExceptionHandler(InvalidDatasetException.class)
    ResponseEntity<ProblemDetail> invalidDataset(InvalidDatasetException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid dataset", e);
    }

    @ExceptionHandler({UnknownJobException.class, UnknownDatasetException.class})
    ResponseEntity<ProblemDetail> unknownResource(RuntimeException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e);
    }

    @ExceptionHandler(UnknownModelException.class)
    ResponseEntity<ProblemDetail> unknownModel(UnknownModelException e) {
        return problem(HttpStatus.NOT_FOUND, "Unknown model", e);
    }

    @ExceptionHandler(ModelInUseException.class)
    ResponseEntity<ProblemDetail> modelInUse(ModelInUseException e) {
        return problem(HttpStatus.CONFLICT, "Model in use", e);
    }

    @ExceptionHandler(RollbackUnavailableException.class)
    ResponseEntity<ProblemDetail> noRollback(RollbackUnavailableException e) {
        return problem(HttpStatus.CONFLICT, "Nothing to roll back to", e);
    }

    @ExceptionHandler({ModelLoadException.class, ModelFormatException.class, DamagedModelException.class})
    ResponseEntity<ProblemDetail> unloadable(RuntimeException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Model cannot be used", e);
    }

    @ExceptionHandler(InvalidModelArchiveException.class)
    ResponseEntity<ProblemDetail> invalidModelArchive(InvalidModelArchiveException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid model archive", e);
    }

    @ExceptionHandler(OverloadedException.class)
    ResponseEntity<ProblemDetail> overloaded(OverloadedException e) {
        ProblemDetail body = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Overloaded", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, e.retryAfter().toSeconds())))
                .body(body);
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

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, RuntimeException e) {
        return ResponseEntity.status(status).body(Problems.of(status, title, e.getMessage()));
    }
}
