package dev.digits.registry;

import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/** {@code /actuator/info}: the version serving production. */
@Component
class RegistryInfoContributor implements InfoContributor {

    private final ModelRegistry registry;

    RegistryInfoContributor(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void contribute(Info.Builder builder) {
        LoadedModel production = registry.acquireProduction();
        try {
            builder.withDetail("model", Map.of("production", production.version(),
                    "architecture", production.metadata().architecture()));
        } finally {
            production.release();
        }
    }
}
