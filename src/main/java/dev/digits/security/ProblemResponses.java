package dev.digits.security;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Problem details written by filters, which run before Spring MVC's exception handling. */
@Component
class ProblemResponses {

    private final JsonMapper json = JsonMapper.builder().build();

    void write(HttpServletResponse response, int status, String title, String detail) throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(status), detail);
        problem.setTitle(title);
        problem.setType(URI.create("/problems/" + title.toLowerCase().replace(' ', '-')));
        response.setStatus(status);
        response.setContentType("application/problem+json");
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "ApiKey header=\"X-API-Key\"");
        }
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }
}
