package dev.digits.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.DigitsProperties;
import dev.digits.storage.BlobStore;
import dev.digits.storage.BlobsProperties;
import dev.digits.support.S3Server;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;

/** Which blob store {@code digits.store}, {@code digits.blobs} and {@code digits.s3.*} give. */
class S3StorageTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({DigitsProperties.class, BlobsProperties.class, S3Properties.class})
    static class Properties {
    }

    private final S3Server server = S3Server.shared();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class, S3Storage.class)
            .withPropertyValues("digits.store=postgres", "digits.blobs=s3",
                    "digits.s3.endpoint=" + server.endpoint(), "digits.s3.path-style=true",
                    "digits.s3.access-key=" + server.accessKey(), "digits.s3.secret-key=" + server.secretKey());

    @Test
    void s3BlobsAreConfiguredAndTheBucketCreatedWhenAsked() {
        String bucket = "digits-wiring-" + System.nanoTime();
        runner.withPropertyValues("digits.s3.bucket=" + bucket, "digits.s3.create-bucket=true", "digits.s3.prefix=p/")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(BlobStore.class);
                    BlobStore blobs = context.getBean(BlobStore.class);
                    assertThat(blobs).isInstanceOf(S3Blobs.class);
                    String sha = blobs.put(new byte[] {7});
                    assertThat(blobs.get(sha)).containsExactly(7);
                    try (S3Client raw = server.client()) {
                        assertThat(raw.headObject(request -> request.bucket(bucket).key("p/blobs/sha256/" + sha))
                                .contentLength()).isEqualTo(1);
                    }
                });
    }

    @Test
    void theBucketIsRequired() {
        runner.run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().hasMessageContaining("digits.s3.bucket"));
    }

    @Test
    void anAccessKeyNeedsItsSecret() {
        new ApplicationContextRunner().withUserConfiguration(Properties.class, S3Storage.class)
                .withPropertyValues("digits.store=postgres", "digits.blobs=s3", "digits.s3.bucket=b",
                        "digits.s3.access-key=someone")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("digits.s3.access-key and digits.s3.secret-key go together"));
    }

    @Test
    void theSecretIsNotInTheSettingsText() {
        S3Properties properties = new S3Properties(null, "us-east-1", "b", "", false, "someone", "a-secret", false,
                java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(30), 2);
        assertThat(properties.toString()).doesNotContain("a-secret").doesNotContain("someone");
    }

    @Test
    void theFilesystemStoreHasNoObjectStore() {
        runner.withPropertyValues("digits.store=filesystem", "digits.s3.bucket=b").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(BlobStore.class).doesNotHaveBean(S3Client.class);
        });
    }

    @Test
    void anUnknownBlobStoreFailsTheStart() {
        runner.withPropertyValues("digits.blobs=s4", "digits.s3.bucket=b").run(context -> {
            assertThat(context).hasFailed().getFailure().hasStackTraceContaining("digits.blobs");
        });
    }

    @Test
    void anEmptyEndpointAndNoKeysMeanAwsWithTheDefaultCredentials() {
        new ApplicationContextRunner().withUserConfiguration(Properties.class, S3Storage.class)
                .withPropertyValues("digits.store=postgres", "digits.blobs=S3", "digits.s3.bucket=b",
                        "digits.s3.endpoint=", "digits.s3.region=eu-central-1")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(S3Blobs.class);
                    S3Properties properties = context.getBean(S3Properties.class);
                    assertThat(properties.endpointOverride()).isNull();
                    assertThat(properties.hasStaticCredentials()).isFalse();
                    assertThat(properties.pathStyle()).isFalse();
                    assertThat(properties.prefix()).isEmpty();
                });
    }
}
