package dev.digits.storage.s3;

import dev.digits.storage.BlobStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The PostgreSQL store's blobs in an S3-compatible object store ({@code digits.store=postgres},
 * {@code digits.blobs=s3}, set up by {@link S3Properties}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "digits.store", havingValue = "postgres")
@ConditionalOnProperty(name = "digits.blobs", havingValue = "s3")
class S3Storage {

    @Bean(destroyMethod = "close")
    S3Client blobsS3Client(S3Properties s3) {
        return client(s3);
    }

    @Bean
    BlobStore blobStore(S3Client blobsS3Client, S3Properties s3) {
        if (s3.bucket() == null || s3.bucket().isBlank()) {
            throw new IllegalStateException("digits.blobs=s3 needs digits.s3.bucket");
        }
        S3Blobs blobs = new S3Blobs(blobsS3Client, s3.bucket(), s3.prefix());
        if (s3.createBucket()) {
            blobs.createBucketIfMissing(s3.region());
        }
        return blobs;
    }

    /**
     * A client that gives up quickly on a store that cannot be reached, and that sends the checksums
     * every S3-compatible store understands (Content-MD5, set by {@link S3Blobs}) rather than the newer
     * ones the SDK would add by default, which some stores reject.
     */
    static S3Client client(S3Properties s3) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(s3.region()))
                .forcePathStyle(s3.pathStyle())
                .credentialsProvider(credentials(s3))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(s3.connectTimeout())
                        .socketTimeout(s3.readTimeout()))
                .overrideConfiguration(override -> override.retryStrategy(retry -> retry.maxAttempts(s3.maxAttempts())))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (s3.endpointOverride() != null) {
            builder.endpointOverride(s3.endpointOverride());
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(S3Properties s3) {
        if (s3.hasStaticCredentials()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
