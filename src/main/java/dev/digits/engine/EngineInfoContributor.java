package dev.digits.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.digits.DigitsProperties;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/** {@code /actuator/info}: the engine, the device networks run on, and how it was chosen. */
@Component
class EngineInfoContributor implements InfoContributor {

    private final Engine engine;
    private final Device device;
    private final DigitsProperties properties;

    EngineInfoContributor(Engine engine, Device device, DigitsProperties properties) {
        this.engine = engine;
        this.device = device;
        this.properties = properties;
    }

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("engine", Map.of("name", engine.getEngineName(), "version", engine.getVersion(),
                "gpus", engine.getGpuCount(), "device", device.toString(),
                "deviceSetting", properties.device().name().toLowerCase()));
    }
}
