package dev.digits.security;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Who may call what. {@code admin} keys manage jobs, datasets and models; {@code predict} keys (or
 * anyone, unless {@code digits.security.require-predict-key}) predict, through {@code /predict} or the
 * Open Inference Protocol under {@code /v2}, and send feedback. Probes (the actuator's and
 * {@code /v2/health/*}), info, the Prometheus scrape, the console page and the API description are open. Stateless: no
 * sessions, so no CSRF tokens either.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final String ADMIN = "ADMIN";
    private static final String PREDICT = "PREDICT";
    /** The Open Inference Protocol's binary framing header, which browser clients send and read. */
    private static final String INFERENCE_HEADER_LENGTH = "Inference-Header-Content-Length";

    @Bean
    SecurityFilterChain api(HttpSecurity http, ApiKeys keys, ProblemResponses problems, SecurityProperties properties,
                            MeterRegistry meters) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .cors(Customizer.withDefaults())
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self'; img-src 'self' data: blob:; "
                                + "style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; "
                                + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
                .addFilterBefore(new ApiKeyFilter(keys, problems), AnonymousAuthenticationFilter.class)
                .addFilterAfter(new RateLimitFilter(properties.rateLimit(), problems, meters), ApiKeyFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> problems.write(request, response, 401, "Unauthorized",
                                "this endpoint needs an API key: send it in the X-API-Key header"))
                        .accessDeniedHandler((request, response, e) -> problems.write(request, response, 403, "Forbidden",
                                "this API key's role may not use this endpoint")))
                .authorizeHttpRequests(requests -> {
                    // Streams (downloads, SSE) finish in an async dispatch that carries no key; the request was authorized.
                    requests.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll();
                    requests.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info",
                            "/actuator/prometheus").permitAll();
                    requests.requestMatchers("/actuator/**").hasRole(ADMIN);
                    requests.requestMatchers("/", "/index.html", "/*.css", "/*.js", "/*.png", "/*.svg", "/favicon.ico",
                            "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/error").permitAll();
                    // The Open Inference Protocol's probes are open like the actuator's; the rest of it
                    // (metadata, model readiness, inference) is as open as /predict.
                    requests.requestMatchers("/v2/health/live", "/v2/health/ready").permitAll();
                    if (properties.requirePredictKey()) {
                        requests.requestMatchers(HttpMethod.POST, "/predict", "/feedback").hasAnyRole(PREDICT, ADMIN);
                        requests.requestMatchers("/v2", "/v2/**").hasAnyRole(PREDICT, ADMIN);
                    } else {
                        requests.requestMatchers(HttpMethod.POST, "/predict", "/feedback").permitAll();
                        requests.requestMatchers("/v2", "/v2/**").permitAll();
                    }
                    requests.anyRequest().hasRole(ADMIN);
                });
        return http.build();
    }

    /**
     * The request firewall's refusals ({@code //jobs}, {@code ;jsessionid=}, encoded dots or
     * slashes that reach it) as problem details, like every other error.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ProblemResponses problems) {
        return (request, response, e) -> problems.write(request, response, 400, "Bad request",
                "the request URL was rejected: " + e.getMessage());
    }

    /**
     * No observations of Spring Security's own (a timer and a span around each filter of the chain,
     * each authentication and authorization): no dashboard or alert here reads them, and
     * {@code http.server.requests} and {@code digits.predict.*} still time every request. Turning
     * them off by property only makes them no-ops; without this, a decorator would still wrap every
     * filter of the chain on every request (docs/benchmarks.md, "Where the time goes").
     */
    @Bean
    static SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** API keys are the only credentials: no users, so Spring Boot generates no default password. */
    @Bean
    UserDetailsService noUsers() {
        return new InMemoryUserDetailsManager();
    }

    /** No cross-origin access unless origins are configured. */
    @Bean
    CorsConfigurationSource corsConfigurationSource(SecurityProperties properties) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!properties.cors().allowedOrigins().isEmpty()) {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(properties.cors().allowedOrigins());
            cors.setAllowedMethods(List.of("GET", "POST", "DELETE"));
            cors.setAllowedHeaders(List.of("Content-Type", ApiKeyFilter.HEADER, "Authorization", "Idempotency-Key",
                    INFERENCE_HEADER_LENGTH));
            cors.setExposedHeaders(List.of("Location", "Retry-After", INFERENCE_HEADER_LENGTH));
            cors.setMaxAge(3600L);
            source.registerCorsConfiguration("/**", cors);
        }
        return source;
    }
}
