package dev.digits.storage.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.digits.DigitsProperties;
import dev.digits.datasets.DatasetRepository;
import dev.digits.jobs.JobRepository;
import dev.digits.storage.BlobStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The store of replicas and trainers on several machines ({@code digits.store=postgres}):
 * PostgreSQL for models' metadata and aliases, jobs and datasets, and the {@link BlobStore} (object
 * storage) for the files. The database is the standard {@code spring.datasource.url},
 * {@code username} and {@code password}; {@code spring.datasource.hikari.*} tunes the pool. Boot's
 * own DataSource and Flyway auto-configurations are off (the filesystem store needs no database), so
 * the pool is built and the schema migrated here. {@code digits.home} keeps only local copies:
 * staged models, opened versions, checkpoints being trained.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "digits.store", havingValue = "postgres")
class PostgresStorage {

    /** Closed last (after the repositories that use it), when the context closes. */
    @Bean(destroyMethod = "close")
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource digitsDataSource(Environment environment) {
        return PostgresDatabase.pool(environment.getProperty("spring.datasource.url"),
                environment.getProperty("spring.datasource.username"),
                environment.getProperty("spring.datasource.password"));
    }

    /** Migrates the schema before any repository uses it; the pool is closed by its own bean. */
    @Bean(destroyMethod = "")
    PostgresDatabase postgresDatabase(HikariDataSource digitsDataSource) {
        PostgresDatabase database = new PostgresDatabase(digitsDataSource);
        database.migrate();
        return database;
    }

    @Bean(destroyMethod = "close")
    PostgresModels modelRepository(PostgresDatabase database, BlobStore blobs, DigitsProperties digits) {
        return new PostgresModels(database, blobs, digits.home());
    }

    @Bean
    JobRepository jobRepository(PostgresDatabase database, BlobStore blobs, DigitsProperties digits) {
        return new PostgresJobs(database, blobs, digits.home().resolve("checkpoints"));
    }

    @Bean
    DatasetRepository datasetRepository(PostgresDatabase database, BlobStore blobs) {
        return new PostgresDatasets(database, blobs);
    }
}
