package dev.digits;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings every feature shares.
 *
 * @param home the store: models, jobs, datasets (see DESIGN.md)
 * @param device where networks run: {@code auto} (CUDA when the engine finds a GPU, else CPU), {@code cpu} or {@code gpu}
 * @param store where models, jobs and datasets are kept: {@code filesystem} (under {@code home}, zero
 *              set-up) or {@code postgres} (PostgreSQL for metadata, object storage for files), which
 *              replicas and trainers on several machines share
 */
@ConfigurationProperties("digits")
public record DigitsProperties(@DefaultValue("./var") Path home, @DefaultValue("auto") DeviceChoice device,
                               @DefaultValue("filesystem") Store store) {

    public enum DeviceChoice {
        AUTO, CPU, GPU
    }

    public enum Store {
        FILESYSTEM, POSTGRES
    }
}
