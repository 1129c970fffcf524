package dev.digits.registry;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** UP while a production model is loaded; lists versions whose folders are corrupt. */
@Component("models")
class RegistryHealthIndicator implements HealthIndicator {

    private final ModelRegistry registry;

    RegistryHealthIndicator(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        Health.Builder health;
        try {
            health = Health.up().withDetail("production", registry.productionVersion());
        } catch (RuntimeException e) {
            return Health.down(e).build();
        }
        var corrupt = registry.corruptVersions();
        if (!corrupt.isEmpty()) {
            health.withDetail("corruptVersions", corrupt);
        }
        return health.build();
    }
}
