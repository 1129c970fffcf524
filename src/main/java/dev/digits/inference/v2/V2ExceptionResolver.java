package dev.digits.inference.v2;

import dev.digits.images.ImageTooLargeException;
import dev.digits.images.InvalidImageException;
import dev.digits.inference.InvalidInputException;
import dev.digits.problems.OverloadedException;
import dev.digits.registry.ModelLoadException;
import dev.digits.registry.UnknownModelException;
import dev.digits.web.PayloadTooLargeException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * The one place where errors of {@code /v2} requests get their status and message. It runs before
 * Spring MVC's own resolvers, and so before the problem-details advice, for every request under
 * {@code /v2}: also those that never reach a controller (unknown paths, wrong methods).
 */
@Component
class V2ExceptionResolver implements HandlerExceptionResolver, Ordered {

    private static final Logger log = LoggerFactory.getLogger(V2ExceptionResolver.class);

    private final V2Errors errors;

    V2ExceptionResolver(V2Errors errors) {
        this.errors = errors;
    }

    /** @param headers set on the response, e.g. {@code Retry-After} or {@code Allow} */
    private record Failure(int status, String message, HttpHeaders headers) {

        Failure(int status, String message) {
            this(status, message, HttpHeaders.EMPTY);
        }
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
                                         Exception e) {
        if (!errors.covers(request) || response.isCommitted()) {
            return null;
        }
        Failure failure = failure(e);
        try {
            response.resetBuffer();
            failure.headers().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
            errors.write(response, failure.status(), failure.message());
        } catch (IOException | IllegalStateException writeFailed) {
            log.debug("cannot write the error response: {}", writeFailed.toString());
        }
        return new ModelAndView(); // handled: nothing to render
    }

    private static Failure failure(Exception e) {
        if (e instanceof InvalidInferenceRequestException || e instanceof InvalidInputException
                || e instanceof InvalidImageException) {
            return new Failure(400, e.getMessage());
        }
        if (e instanceof UnknownModelNameException || e instanceof UnknownModelException) {
            return new Failure(404, e.getMessage());
        }
        if (e instanceof PayloadTooLargeException || e instanceof ImageTooLargeException) {
            return new Failure(413, e.getMessage());
        }
        if (e instanceof OverloadedException overloaded) {
            HttpHeaders retry = new HttpHeaders();
            retry.set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, overloaded.retryAfter().toSeconds())));
            return new Failure(503, overloaded.getMessage(), retry);
        }
        if (e instanceof ErrorResponse spring) { // Spring MVC's: unknown path, wrong method or media type, ...
            String detail = spring.getBody().getDetail();
            return new Failure(spring.getStatusCode().value(), detail != null ? detail : e.getMessage(),
                    spring.getHeaders());
        }
        if (e instanceof ModelLoadException) {
            log.error("v2: a model version cannot be loaded", e);
            return new Failure(500, "the model version cannot be loaded; see the server's log");
        }
        log.error("v2: unhandled error", e);
        return new Failure(500, "the server failed to handle the request; see its log");
    }

    /** Before Spring MVC's resolvers (order 0), after Spring Boot's error-attribute recorder (highest). */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
