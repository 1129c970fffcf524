package dev.digits.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the store's tests rely on from an {@link S3Target}, through the real AWS SDK v2 client:
 * buckets, objects back byte for byte, listing, multipart uploads of big blobs, signatures checked,
 * and an outage that ends with the objects still there.
 */
abstract class S3TargetContract {

    /** The server under test; a test here may stop and start it. */
    protected abstract S3Target target();

    @Test
    void anObjectComesBackByteForByteAndIsListed() {
        String bucket = target().createBucket();
        byte[] model = bytes(300_000, 1);
        try (S3Client s3 = target().client()) {
            s3.putObject(request -> request.bucket(bucket).key("models/v1/model.zip")
                    .contentType("application/zip"), RequestBody.fromBytes(model));
            s3.putObject(request -> request.bucket(bucket).key("models/v2/model.zip"), RequestBody.fromBytes(new byte[0]));
            s3.putObject(request -> request.bucket(bucket).key("jobs/j1.json"), RequestBody.fromString("{}"));

            assertThat(s3.getObjectAsBytes(request -> request.bucket(bucket).key("models/v1/model.zip")).asByteArray())
                    .isEqualTo(model);
            assertThat(s3.getObjectAsBytes(request -> request.bucket(bucket).key("models/v2/model.zip")).asByteArray())
                    .isEmpty();
            assertThat(s3.headObject(request -> request.bucket(bucket).key("models/v1/model.zip")).contentLength())
                    .isEqualTo(model.length);
            assertThat(s3.listObjectsV2(request -> request.bucket(bucket).prefix("models/")).contents())
                    .extracting(S3Object::key).containsExactly("models/v1/model.zip", "models/v2/model.zip");
            assertThat(s3.listBuckets().buckets()).anySatisfy(b -> assertThat(b.name()).isEqualTo(bucket));
            assertThatThrownBy(() -> s3.getObject(request -> request.bucket(bucket).key("models/v3/model.zip")))
                    .isInstanceOf(NoSuchKeyException.class);

            s3.deleteObject(request -> request.bucket(bucket).key("jobs/j1.json"));
            assertThat(s3.listObjectsV2(request -> request.bucket(bucket)).keyCount()).isEqualTo(2);
        }
    }

    @Test
    void eachCallCreatesItsOwnEmptyBucket() {
        String first = target().createBucket();
        String second = target().createBucket();
        assertThat(first).isNotEqualTo(second);
        try (S3Client s3 = target().client()) {
            s3.putObject(request -> request.bucket(first).key("only-here"), RequestBody.fromString("x"));
            assertThat(s3.listObjectsV2(request -> request.bucket(second)).contents()).isEmpty();
        }
    }

    @Test
    void aMultipartUploadOfABigBlobComesBackWhole() {
        String bucket = target().createBucket();
        byte[] first = bytes(5 * 1024 * 1024, 2);
        byte[] last = bytes(1_234_567, 3);
        try (S3Client s3 = target().client()) {
            String upload = s3.createMultipartUpload(request -> request.bucket(bucket).key("datasets/big.bin"))
                    .uploadId();
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (byte[] part : List.of(first, last)) {
                int partNumber = number++;
                String etag = s3.uploadPart(request -> request.bucket(bucket).key("datasets/big.bin")
                        .uploadId(upload).partNumber(partNumber), RequestBody.fromBytes(part)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            s3.completeMultipartUpload(request -> request.bucket(bucket).key("datasets/big.bin").uploadId(upload)
                    .multipartUpload(multipart -> multipart.parts(parts)));

            byte[] whole = new byte[first.length + last.length];
            System.arraycopy(first, 0, whole, 0, first.length);
            System.arraycopy(last, 0, whole, first.length, last.length);
            assertThat(s3.getObjectAsBytes(request -> request.bucket(bucket).key("datasets/big.bin")).asByteArray())
                    .isEqualTo(whole);
        }
    }

    @Test
    void aWrongSecretIsRefused() {
        String bucket = target().createBucket();
        S3Target impostor = new S3Target() {
            @Override
            public java.net.URI endpoint() {
                return target().endpoint();
            }

            @Override
            public String accessKey() {
                return target().accessKey();
            }

            @Override
            public String secretKey() {
                return "not-the-secret";
            }

            @Override
            public void stop() {
            }

            @Override
            public void start() {
            }
        };
        try (S3Client s3 = impostor.client()) {
            assertThatThrownBy(() -> s3.putObject(request -> request.bucket(bucket).key("k"), RequestBody.fromString("x")))
                    .isInstanceOf(S3Exception.class)
                    .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
        }
    }

    @Test
    void anOutageFailsRequestsToConnectAndEndsWithTheObjectsThere() {
        String bucket = target().createBucket();
        byte[] blob = bytes(70_000, 4);
        try (S3Client s3 = target().client()) {
            s3.putObject(request -> request.bucket(bucket).key("blob"), RequestBody.fromBytes(blob));
            target().stop();
            try {
                assertThatThrownBy(() -> s3.getObjectAsBytes(request -> request.bucket(bucket).key("blob")))
                        .isInstanceOf(SdkClientException.class)
                        .hasRootCauseInstanceOf(java.net.ConnectException.class);
            } finally {
                target().start();
            }
            assertThat(s3.getObjectAsBytes(request -> request.bucket(bucket).key("blob")).asByteArray()).isEqualTo(blob);
            s3.putObject(request -> request.bucket(bucket).key("after"), RequestBody.fromString("back"));
            assertThat(s3.getObjectAsBytes(request -> request.bucket(bucket).key("after")).asUtf8String()).isEqualTo("back");
        }
    }

    static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
