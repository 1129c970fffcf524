package dev.digits.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.digits.web.Problems;
import dev.digits.web.ProtocolErrors;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problem details written by filters, which run before Spring MVC's exception handling; requests of
 * a protocol with errors of its own (the Open Inference Protocol under {@code /v2}) get those instead.
 */
@Component
class ProblemResponses {

    private final JsonMapper json = JsonMapper.builder()
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();
    private final ObjectProvider<ProtocolErrors> protocols;

    ProblemResponses(ObjectProvider<ProtocolErrors> protocols) {
        this.protocols = protocols;
    }

    void write(HttpServletRequest request, HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "ApiKey header=\"X-API-Key\"");
        }
        for (ProtocolErrors protocol : protocols) {
            if (protocol.covers(request)) {
                protocol.write(response, status, detail);
                return;
            }
        }
        ProblemDetail problem = Problems.of(HttpStatus.valueOf(status), title, detail);
        try {
            problem.setInstance(URI.create(request.getRequestURI()));
        } catch (IllegalArgumentException notAUri) {
            // a request the firewall rejects may not even have a valid URI; the problem is complete without it
        }
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }
}
