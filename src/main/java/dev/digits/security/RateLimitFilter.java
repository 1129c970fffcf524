package dev.digits.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Token buckets (Bucket4j) per API key, or per client address without one, on {@code /predict},
 * {@code /feedback} and the Open Inference Protocol's {@code /v2/models/.../infer}, all from one
 * bucket per client. Over the limit: 429 with {@code Retry-After}.
 */
class RateLimitFilter extends OncePerRequestFilter {

    /** Past this many clients the table is cleared: a full bucket is what a new client gets anyway. */
    private static final int MAX_CLIENTS = 100_000;

    private final SecurityProperties.RateLimit limit;
    private final ProblemResponses problems;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Counter limited;

    RateLimitFilter(SecurityProperties.RateLimit limit, ProblemResponses problems, MeterRegistry meters) {
        this.limit = limit;
        this.problems = problems;
        this.limited = Counter.builder("digits.predict.rate.limited")
                .description("Requests refused with 429 by the rate limit").register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        boolean infer = path.startsWith("/v2/models/") && path.endsWith("/infer");
        return !limit.enabled() || !(path.equals("/predict") || path.equals("/feedback") || infer);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // This filter runs after ApiKeyFilter, which refuses invalid keys and records the hash of a valid one.
        Object keyHash = request.getAttribute(ApiKeyFilter.KEY_HASH);
        String client = keyHash != null ? "key:" + keyHash : "ip:" + request.getRemoteAddr();
        if (buckets.size() > MAX_CLIENTS) {
            buckets.clear();
        }
        ConsumptionProbe probe = buckets.computeIfAbsent(client, c -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        limited.increment();
        long seconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
        response.setHeader("Retry-After", String.valueOf(seconds));
        problems.write(request, response, 429, "Too many requests", "rate limit of " + limit.requestsPerSecond()
                + " requests per second (burst " + limit.burst() + ") exceeded; retry after " + seconds + " s");
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit.burst())
                        .refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(1)).build())
                .build();
    }
}
