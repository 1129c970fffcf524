package dev.digits.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.digits.DigitsProperties;
import dev.digits.datasets.DatasetRepository;
import dev.digits.jobs.JobRepository;
import dev.digits.registry.ModelRepository;
import dev.digits.storage.BlobStore;
import dev.digits.storage.filesystem.FilesystemBlobs;
import dev.digits.support.PostgresServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans of {@code digits.store=postgres}, built from the standard datasource properties. */
class PostgresStorageTests {

    @TempDir
    Path home;

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DigitsProperties.class)
    static class Blobs {
        @Bean
        BlobStore blobStore(DigitsProperties digits) {
            return new FilesystemBlobs(digits.home().resolve("blobs"));
        }
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withUserConfiguration(Blobs.class, PostgresStorage.class)
                .withPropertyValues("digits.home=" + home);
    }

    @Test
    void postgresBuildsThePoolMigratesTheSchemaAndMakesTheRepositories() {
        PostgresServer server = PostgresServer.shared();
        String database = server.createDatabase();
        runner().withPropertyValues("digits.store=postgres",
                "spring.datasource.url=" + server.jdbcUrl(database),
                "spring.datasource.username=" + server.username(),
                "spring.datasource.password=" + server.password(),
                "spring.datasource.hikari.maximum-pool-size=3").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ModelRepository.class)).isInstanceOf(PostgresModels.class);
                    assertThat(context.getBean(JobRepository.class)).isInstanceOf(PostgresJobs.class);
                    assertThat(context.getBean(DatasetRepository.class)).isInstanceOf(PostgresDatasets.class);
                    HikariDataSource pool = context.getBean(HikariDataSource.class);
                    assertThat(pool.getMaximumPoolSize()).as("spring.datasource.hikari.* applies").isEqualTo(3);
                    assertThat(pool.getConnectionTimeout()).isEqualTo(PostgresDatabase.CONNECTION_TIMEOUT_MILLIS);
                    assertThat(context.getBean(JobRepository.class).countByState()).isNotEmpty();
                    assertThat(context.getBean(ModelRepository.class).versionNumbers()).isEmpty();
                    assertThat(context.getBean(JobRepository.class).checkpoints("some-job"))
                            .isEqualTo(home.resolve("checkpoints").resolve("some-job"));
                });
    }

    @Test
    void theFilesystemStoreNeedsNoDatabase() {
        runner().run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(HikariDataSource.class)
                .doesNotHaveBean(ModelRepository.class));
        runner().withPropertyValues("digits.store=filesystem").run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(PostgresDatabase.class));
    }

    @Test
    void postgresWithoutAUrlFailsToStartSayingWhatIsMissing() {
        runner().withPropertyValues("digits.store=postgres").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("spring.datasource.url"));
    }
}
