package dev.digits.inference.v2;

import dev.digits.web.ProtocolErrors;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * How every error under {@code /v2} looks: the protocol's {@code {"error": "<message>"}} with the
 * status, never problem details. {@link V2ExceptionResolver} writes through it for errors in Spring
 * MVC, and the security filters (401, 403, 429) for refusals before it.
 */
@Component
class V2Errors implements ProtocolErrors {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    static boolean covers(String path) {
        return path.equals("/v2") || path.startsWith("/v2/");
    }

    @Override
    public boolean covers(HttpServletRequest request) {
        return covers(request.getRequestURI());
    }

    @Override
    public void write(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        byte[] body = MAPPER.writeValueAsBytes(Map.of("error", message == null ? "error " + status : message));
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
