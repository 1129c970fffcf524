package dev.digits.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param concurrent jobs that train at the same time
 * @param queueCapacity jobs waiting at most; beyond that {@code POST /jobs} answers 503
 * @param trainingThreads PyTorch intra-op threads of a training thread, so that {@code /predict}
 *                        keeps cores to itself while a job runs
 * @param mnistMargin how much MNIST test accuracy an {@code if-better} promotion may lose
 * @param lease how long a trainer holds a job without renewing it; a trainer that dies loses its
 *              jobs to the others after this long
 * @param pollInterval how often an idle trainer asks the store for a job
 */
@ConfigurationProperties("digits.jobs")
public record JobProperties(@DefaultValue("1") int concurrent, @DefaultValue("16") int queueCapacity,
                            @DefaultValue("1") int trainingThreads, @DefaultValue("0.005") double mnistMargin,
                            @DefaultValue("30s") Duration lease, @DefaultValue("500ms") Duration pollInterval) {
}
