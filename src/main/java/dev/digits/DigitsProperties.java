package dev.digits;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings every feature shares.
 *
 * @param home the store: models, jobs, datasets (see DESIGN.md)
 * @param device where networks run: {@code auto} (CUDA when the engine finds a GPU, else CPU), {@code cpu} or {@code gpu}
 */
@ConfigurationProperties("digits")
public record DigitsProperties(@DefaultValue("./var") Path home, @DefaultValue("auto") DeviceChoice device) {

    public enum DeviceChoice {
        AUTO, CPU, GPU
    }
}
