package dev.digits.registry;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness: a model version is loaded, warmed and answering. It stays UP when production is
 * damaged and an earlier version serves in its place ({@code models} is DOWN then), so that one bad
 * file in a shared store does not take every replica out of the load balancer.
 */
@Component("serving")
class ServingHealthIndicator implements HealthIndicator {

    private final ModelRegistry registry;

    ServingHealthIndicator(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        try {
            return Health.up().withDetail("version", registry.productionVersion()).build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("reason", "no model version is loaded").build();
        }
    }
}
