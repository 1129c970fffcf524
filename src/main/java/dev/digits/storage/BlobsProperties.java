package dev.digits.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the PostgreSQL store ({@code digits.store=postgres}) keeps its blobs; the filesystem store
 * ignores it. Bound here, apart from {@code DigitsProperties}, so that a misspelt value fails the start
 * instead of leaving the store without a {@link BlobStore}.
 *
 * @param blobs {@code filesystem} (the default: content-addressed files under
 *              {@code <digits.home>/blobs}, for one machine or a shared volume) or {@code s3} (any
 *              S3-compatible object store, set up by {@code digits.s3.*})
 */
@ConfigurationProperties("digits")
public record BlobsProperties(@DefaultValue("filesystem") Blobs blobs) {

    public enum Blobs {
        FILESYSTEM, S3
    }
}
