package dev.digits.inference.v2;

import dev.digits.inference.BatchingPredictor;
import dev.digits.registry.ModelRegistry;
import dev.digits.registry.UnknownModelException;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.stereotype.Component;

/**
 * The protocol's health: live as the process's liveness state; ready as {@code /actuator/health/readiness}
 * (taking traffic, the production model loaded, the inference workers running); a version ready when
 * the server is and the version can be read from the store (it is loaded on its first request).
 */
@Component
class ServerHealth {

    private final ApplicationAvailability availability;
    private final BatchingPredictor predictor;
    private final ModelRegistry registry;

    ServerHealth(ApplicationAvailability availability, BatchingPredictor predictor, ModelRegistry registry) {
        this.availability = availability;
        this.predictor = predictor;
        this.registry = registry;
    }

    boolean live() {
        return availability.getLivenessState() == LivenessState.CORRECT;
    }

    boolean ready() {
        if (!live() || availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC || !predictor.isRunning()) {
            return false;
        }
        try {
            return registry.productionVersion() != null;
        } catch (RuntimeException noProduction) { // only while the registry shuts down
            return false;
        }
    }

    /**
     * @param version a version number or alias, or null for production
     * @throws UnknownModelException for a version or alias the registry does not have
     */
    boolean ready(String version) {
        if (version == null) {
            return ready();
        }
        try {
            registry.metadata(version);
        } catch (UnknownModelException unknown) {
            throw unknown;
        } catch (RuntimeException unreadable) {
            return false;
        }
        return ready();
    }
}
