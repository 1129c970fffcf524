package dev.digits.inference;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Part of readiness: the inference workers are taking requests (or batching is off). */
@Component("batcher")
class BatcherHealthIndicator implements HealthIndicator {

    private final BatchingPredictor predictor;
    private final InferenceProperties properties;

    BatcherHealthIndicator(BatchingPredictor predictor, InferenceProperties properties) {
        this.predictor = predictor;
        this.properties = properties;
    }

    @Override
    public Health health() {
        if (!properties.batching()) {
            return Health.up().withDetail("batching", false).build();
        }
        Health.Builder health = predictor.isRunning() ? Health.up() : Health.down();
        return health.withDetail("batching", true).withDetail("queueDepth", predictor.queueDepth()).build();
    }
}
