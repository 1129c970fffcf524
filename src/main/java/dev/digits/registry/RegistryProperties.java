package dev.digits.registry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param aliasRefresh how often the store's aliases are re-read, so that a replica sharing the store
 *                     follows a promotion made by another one
 * @param maxLoadedVersions versions other than production kept loaded for {@code ?model=} requests
 * @param maxImportSize the largest model archive {@code POST /models} accepts (compressed and unpacked)
 */
@ConfigurationProperties("digits.registry")
public record RegistryProperties(@DefaultValue("5s") Duration aliasRefresh, @DefaultValue("2") int maxLoadedVersions,
                                 @DefaultValue("64MB") DataSize maxImportSize) {
}
