package dev.digits.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error page for requests it refuses before they reach the application (an encoded slash
 * or {@code ..} in the URL, a malformed request line, headers too large): a problem detail instead
 * of Tomcat's HTML page. Errors of requests that reach the application are rendered by
 * {@link ProblemErrorController}; this valve only writes when nothing else has.
 */
public class ProblemReportValve extends ErrorReportValve {

    public ProblemReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known != null ? Problems.titleOf(known) : "Error";
        String detail = status < 500
                ? "the request was refused before it reached the service: its URL, request line or headers are malformed"
                : "the server failed to handle the request; see its log";
        String body = "{\"type\":\"/problems/" + title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-')
                + "\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("utf-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response is committed: nothing more can be sent
        }
    }
}
