package dev.digits.inference;

import io.micrometer.core.instrument.Counter;
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
 * Counts and times every {@code /predict} request, whatever its outcome, tagged by outcome and by
 * the model version that answered (set by the controller; {@code none} when no model ran).
 */
@Component
class PredictMetricsFilter extends OncePerRequestFilter {

    static final String MODEL_VERSION = PredictMetricsFilter.class.getName() + ".modelVersion";

    private final MeterRegistry meters;

    PredictMetricsFilter(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"/predict".equals(request.getRequestURI());
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
            Counter.builder("digits.predict.requests").description("Prediction requests")
                    .tags("outcome", outcome, "model.version", model).register(meters).increment();
            Timer.builder("digits.predict.latency").description("Prediction request latency, end to end in the server")
                    .tags("outcome", outcome)
                    .publishPercentileHistogram()
                    .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250))
                    .register(meters)
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
