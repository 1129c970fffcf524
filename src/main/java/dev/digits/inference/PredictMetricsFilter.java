package dev.digits.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts and times every prediction request, whatever its outcome, tagged by protocol ({@code rest}
 * for {@code /predict}, {@code v2} for the Open Inference Protocol's {@code .../infer}), by outcome
 * and by the model version that answered (set by the controller; {@code none} when no model ran).
 */
@Component
public class PredictMetricsFilter extends OncePerRequestFilter {

    private static final String MODEL_VERSION = PredictMetricsFilter.class.getName() + ".modelVersion";

    // Built once: per request only the tags are looked up.
    private final Meter.MeterProvider<Counter> requests;
    private final Meter.MeterProvider<Timer> latency;

    PredictMetricsFilter(MeterRegistry meters) {
        this.requests = Counter.builder("digits.predict.requests").description("Prediction requests")
                .withRegistry(meters);
        this.latency = Timer.builder("digits.predict.latency")
                .description("Prediction request latency, end to end in the server")
                .publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250))
                .withRegistry(meters);
    }

    /** Tells the filter which model version answered the request. */
    public static void answeredBy(HttpServletRequest request, String modelVersion) {
        request.setAttribute(MODEL_VERSION, modelVersion);
    }

    /** The protocol of a prediction path, or null for other paths. */
    static String protocol(String path) {
        if ("/predict".equals(path)) {
            return "rest";
        }
        // POST /v2/models/{name}[/versions/{version}]/infer
        return path.startsWith("/v2/models/") && path.endsWith("/infer") ? "v2" : null;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return protocol(request.getRequestURI()) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long started = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            Object version = request.getAttribute(MODEL_VERSION);
            String outcome = outcome(response.getStatus());
            String model = version == null ? "none" : version.toString();
            String protocol = protocol(request.getRequestURI());
            requests.withTags("protocol", protocol, "outcome", outcome, "model.version", model).increment();
            latency.withTags("protocol", protocol, "outcome", outcome)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private static String outcome(int status) {
        if (status < 400) {
            return "success";
        }
        if (status == 503) {
            return "rejected";
        }
        return status < 500 ? "client_error" : "server_error";
    }
}
