package dev.digits.registry;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The model store: DOWN while the version {@code production} points at is damaged and another
 * version serves in its place (with the reason); lists the versions whose files are damaged.
 * Versions are named by their number only, never by their path.
 */
@Component("models")
class RegistryHealthIndicator implements HealthIndicator {

    private final ModelRegistry registry;

    RegistryHealthIndicator(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        ModelRegistry.Degraded degraded = registry.degraded();
        Health.Builder health = degraded == null ? Health.up() : Health.down()
                .withDetail("reason", "production version " + degraded.productionVersion() + " is damaged ("
                        + degraded.reason() + "); version " + degraded.servingVersion() + " serves instead")
                .withDetail("productionAlias", degraded.productionVersion());
        health.withDetail("production", registry.productionVersion());
        var corrupt = registry.corruptVersions();
        if (!corrupt.isEmpty()) {
            health.withDetail("corruptVersions", corrupt);
        }
        health.withDetail("checksumsVerified", registry.verified());
        return health.build();
    }
}
