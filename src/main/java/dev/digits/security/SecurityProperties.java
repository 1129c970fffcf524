package dev.digits.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API keys, rate limits and CORS. Keys are configured as the SHA-256 (hex) of the key, never the
 * key itself: {@code printf %s "$KEY" | sha256sum}.
 *
 * @param adminKeyHashes keys with the {@code admin} role (jobs, datasets, models, metrics); when
 *                       empty, one key is generated at first start and printed once
 * @param predictKeyHashes keys with the {@code predict} role ({@code /predict}, {@code /feedback})
 * @param requirePredictKey whether {@code /predict} and {@code /feedback} need a key at all
 */
@ConfigurationProperties("digits.security")
public record SecurityProperties(
        @DefaultValue List<String> adminKeyHashes,
        @DefaultValue List<String> predictKeyHashes,
        @DefaultValue("false") boolean requirePredictKey,
        @DefaultValue RateLimit rateLimit,
        @DefaultValue Cors cors) {

    /**
     * Per API key, or per client address without one, on {@code /predict} and {@code /feedback}.
     *
     * @param requestsPerSecond sustained rate
     * @param burst requests allowed at once above the rate
     */
    public record RateLimit(@DefaultValue("true") boolean enabled, @DefaultValue("200") int requestsPerSecond,
                            @DefaultValue("400") int burst) {
    }

    /** @param allowedOrigins web app origins allowed to call the API from a browser; none by default */
    public record Cors(@DefaultValue List<String> allowedOrigins) {
    }
}
