package dev.digits.storage.filesystem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.DigitsProperties;
import dev.digits.storage.BlobStore;
import dev.digits.storage.BlobsProperties;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The PostgreSQL store keeps its blobs under {@code <digits.home>/blobs} unless told otherwise. */
class FilesystemBlobStorageTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({DigitsProperties.class, BlobsProperties.class})
    static class Properties {
    }

    @TempDir
    Path home;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withUserConfiguration(Properties.class, FilesystemBlobStorage.class)
                .withPropertyValues("digits.home=" + home);
    }

    @Test
    void thePostgresStoreKeepsBlobsUnderHomeByDefault() {
        runner().withPropertyValues("digits.store=postgres").run(context -> {
            BlobStore blobs = context.getBean(BlobStore.class);
            assertThat(blobs).isInstanceOf(FilesystemBlobs.class);
            String sha = blobs.put(new byte[] {1});
            assertThat(home.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha)).exists();
        });
    }

    @Test
    void filesystemBlobsCanBeNamed() {
        runner().withPropertyValues("digits.store=postgres", "digits.blobs=filesystem")
                .run(context -> assertThat(context).hasSingleBean(FilesystemBlobs.class));
    }

    @Test
    void notForTheFilesystemStoreOrS3Blobs() {
        runner().run(context -> assertThat(context).doesNotHaveBean(BlobStore.class));
        runner().withPropertyValues("digits.store=postgres", "digits.blobs=s3")
                .run(context -> assertThat(context).doesNotHaveBean(BlobStore.class));
    }
}
