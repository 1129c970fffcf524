package dev.digits.storage.filesystem;

import dev.digits.DigitsProperties;
import dev.digits.datasets.DatasetRepository;
import dev.digits.jobs.JobRepository;
import dev.digits.registry.ModelRepository;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The zero-setup store ({@code digits.store=filesystem}, the default): everything under
 * {@code digits.home}. Replicas may share it on one volume for serving; jobs are run by the one
 * replica that accepted them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "digits.store", havingValue = "filesystem", matchIfMissing = true)
class FilesystemStorage {

    @Bean
    ModelRepository modelRepository(DigitsProperties digits) {
        return new FilesystemModels(digits.home().resolve("models"));
    }

    @Bean
    JobRepository jobRepository(DigitsProperties digits) {
        return new FilesystemJobs(digits.home().resolve("jobs"));
    }

    @Bean
    DatasetRepository datasetRepository(DigitsProperties digits) {
        return new FilesystemDatasets(digits.home().resolve("datasets"));
    }
}
