package dev.digits.support;

import java.net.URI;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for a test: {@link S3Server} (S3Proxy in this JVM, no Docker) or
 * {@link S3ContainerTarget} (MinIO under Testcontainers, where Docker exists). Write the test against
 * this, and run it against either.
 */
public interface S3Target {

    /** {@code http://host:port}; buckets are addressed path-style ({@code forcePathStyle(true)}). */
    URI endpoint();

    String accessKey();

    String secretKey();

    default String region() {
        return "us-east-1";
    }

    /** A new, empty bucket, unique per call, created through the S3 protocol. */
    default String createBucket() {
        String name = Buckets.newName();
        try (S3Client client = client()) {
            client.createBucket(request -> request.bucket(name));
        }
        return name;
    }

    /** Stops the server: requests fail to connect (connection refused) until {@link #start()}. */
    void stop();

    /** Starts the stopped server again, with its buckets and objects, at the same endpoint. */
    void start();

    /**
     * An AWS SDK v2 client for this server (path-style, static credentials, the JDK's HTTP client);
     * the caller closes it.
     */
    default S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.of(region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(), secretKey())))
                .forcePathStyle(true)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** Bucket names valid on S3 (3-63 lower-case letters, digits, hyphens), unique across JVMs. */
    final class Buckets {

        private static final AtomicInteger COUNT = new AtomicInteger();
        private static final String JVM = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));

        private Buckets() {
        }

        static String newName() {
            return "test-" + JVM + "-" + COUNT.incrementAndGet();
        }
    }
}
