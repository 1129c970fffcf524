package dev.digits.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.digits.DigitsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the PyTorch engine once, offline, and decides the device every network runs on. Features
 * that use DJL depend on the {@link Device} bean, so the engine is set up before any of them.
 */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EngineConfiguration.class);

    @Bean
    Engine pytorchEngine(EngineProperties properties) {
        setIfAbsent("ai.djl.offline", "true");
        if (properties.cacheDir() != null && !properties.cacheDir().isBlank()) {
            System.setProperty("ENGINE_CACHE_DIR", properties.cacheDir());
        }
        if (properties.intraOpThreads() != null) {
            System.setProperty("ai.djl.pytorch.num_threads", properties.intraOpThreads().toString());
        }
        if (properties.interOpThreads() != null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", properties.interOpThreads().toString());
        }
        Engine engine = Engine.getEngine("PyTorch");
        log.info("PyTorch engine {} loaded, {} GPU(s) visible", engine.getVersion(), engine.getGpuCount());
        return engine;
    }

    @Bean
    Device device(Engine engine, DigitsProperties properties) {
        Device device = switch (properties.device()) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (engine.getGpuCount() == 0) {
                    throw new IllegalStateException("digits.device=gpu but the PyTorch engine sees no CUDA device; "
                            + "use a CUDA build of libtorch (see README) or digits.device=auto");
                }
                yield Device.gpu();
            }
            case AUTO -> engine.defaultDevice();
        };
        log.info("networks run on {} (digits.device={})", device, properties.device().name().toLowerCase());
        return device;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
