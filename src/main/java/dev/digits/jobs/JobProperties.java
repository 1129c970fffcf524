package dev.digits.jobs;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param concurrent jobs that train at the same time
 * @param queueCapacity jobs waiting at most; beyond that {@code POST /jobs} answers 503
 * @param trainingThreads PyTorch intra-op threads of a training thread, so that {@code /predict}
 *                        keeps cores to itself while a job runs
 * @param mnistMargin how much MNIST test accuracy an {@code if-better} promotion may lose
 */
@ConfigurationProperties("digits.jobs")
public record JobProperties(@DefaultValue("1") int concurrent, @DefaultValue("16") int queueCapacity,
                            @DefaultValue("1") int trainingThreads, @DefaultValue("0.005") double mnistMargin) {
}
