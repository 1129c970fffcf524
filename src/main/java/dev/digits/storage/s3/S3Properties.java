package dev.digits.storage.s3;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The S3-compatible object store of {@code digits.blobs=s3}: AWS S3, MinIO, Ceph RGW, or any other
 * that speaks the S3 API.
 *
 * @param endpoint the store's URL, for example {@code http://minio:9000}; empty for AWS S3, whose
 *                 endpoint follows from the region
 * @param region the signing region; most non-AWS stores accept any
 * @param bucket where the blobs go; required when {@code digits.blobs=s3}
 * @param prefix put before every key, to share a bucket: {@code digits/} stores blob {@code <hex>} as
 *               {@code digits/blobs/sha256/<hex>}
 * @param pathStyle true for {@code <endpoint>/<bucket>/<key>} URLs (MinIO, Ceph and most self-hosted
 *                  stores); false for virtual-hosted {@code <bucket>.<endpoint>} URLs (AWS)
 * @param accessKey with {@code secretKey}, static credentials; when both are empty the SDK's default
 *                  chain is used (environment, profile, container or instance role, web identity)
 * @param secretKey the secret of {@code accessKey}
 * @param createBucket create the bucket at start-up if it does not exist (for a fresh MinIO, say); the
 *                     start fails if the store cannot be reached then
 * @param connectTimeout how long to wait for a connection: an unreachable store is reported this fast
 * @param readTimeout the longest silence while waiting for or reading a response
 * @param maxAttempts tries of one request, the first included, before the store counts as unavailable
 */
@Validated
@ConfigurationProperties("digits.s3")
public record S3Properties(
        URI endpoint,
        @DefaultValue("us-east-1") @NotBlank String region,
        String bucket,
        @DefaultValue("") @NotNull String prefix,
        @DefaultValue("false") boolean pathStyle,
        String accessKey,
        String secretKey,
        @DefaultValue("false") boolean createBucket,
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("30s") @NotNull Duration readTimeout,
        @DefaultValue("2") @Min(1) @Max(10) int maxAttempts) {

    /** Static credentials, or none to use the default chain. */
    boolean hasStaticCredentials() {
        return accessKey != null && !accessKey.isBlank();
    }

    /** The endpoint to use instead of the AWS one, or null. */
    URI endpointOverride() {
        return endpoint == null || endpoint.toString().isBlank() ? null : endpoint;
    }

    @AssertTrue(message = "digits.s3.access-key and digits.s3.secret-key go together")
    public boolean isCredentialsPaired() {
        return hasStaticCredentials() == (secretKey != null && !secretKey.isBlank());
    }

    @Override
    public String toString() {
        return "S3Properties[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket
                + ", prefix=" + prefix + ", pathStyle=" + pathStyle + ", accessKey=" + (hasStaticCredentials() ? "***" : "")
                + ", secretKey=***, createBucket=" + createBucket + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + ", maxAttempts=" + maxAttempts + "]";
    }
}
