package dev.digits.engine;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the PyTorch engine is set up. Unset values leave DJL's own defaults.
 *
 * @param cacheDir where DJL unpacks the native PyTorch libraries from the jar (DJL's default is ~/.djl.ai)
 * @param intraOpThreads PyTorch's intra-op thread pool, shared by training and inference in this process
 * @param interOpThreads PyTorch's inter-op thread pool
 */
@ConfigurationProperties("digits.engine")
public record EngineProperties(String cacheDir, Integer intraOpThreads, Integer interOpThreads) {
}
