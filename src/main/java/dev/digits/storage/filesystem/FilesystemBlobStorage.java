package dev.digits.storage.filesystem;

import dev.digits.DigitsProperties;
import dev.digits.storage.BlobStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The PostgreSQL store's blobs as files under {@code <digits.home>/blobs} ({@code digits.blobs=filesystem},
 * the default): one machine, or replicas sharing one volume.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "digits.store", havingValue = "postgres")
@ConditionalOnProperty(name = "digits.blobs", havingValue = "filesystem", matchIfMissing = true)
class FilesystemBlobStorage {

    @Bean
    BlobStore blobStore(DigitsProperties digits) {
        return new FilesystemBlobs(digits.home().resolve("blobs"));
    }
}
