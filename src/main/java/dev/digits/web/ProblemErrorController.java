package dev.digits.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page: errors raised outside Spring MVC (the security filters, the
 * request firewall, {@code sendError} in a filter) are rendered here, as problem details like every
 * other error, instead of Spring Boot's plain JSON. A direct request for {@code /error} is a 404.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        ProblemDetail problem;
        if (status == null) {
            problem = Problems.of(HttpStatus.NOT_FOUND, "Not found", "there is no resource at " + request.getRequestURI());
        } else if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure
                && StoreFull.isCause(failure)) {
            problem = Problems.of(HttpStatus.INSUFFICIENT_STORAGE, "Insufficient storage", StoreFull.DETAIL);
        } else if (status.is4xxClientError()) {
            Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
            problem = Problems.of(status, Problems.titleOf(status), message instanceof String text && !text.isBlank()
                    ? text : "the request was refused: " + Problems.titleOf(status).toLowerCase(java.util.Locale.ROOT));
        } else {
            HttpStatus failed = status.isError() ? status : HttpStatus.INTERNAL_SERVER_ERROR;
            problem = Problems.of(failed, Problems.titleOf(failed), "the server failed to handle the request; see its log");
        }
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
            try {
                problem.setInstance(URI.create(uri));
            } catch (IllegalArgumentException notAUri) {
                // a rejected request's URI may not even parse; the problem is complete without it
            }
        }
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
