package dev.digits.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.digits.storage.BlobStore;
import dev.digits.storage.BlobStoreContract;
import dev.digits.storage.StorageUnavailableException;
import dev.digits.support.S3Target;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link S3Blobs} on a real S3-compatible server: the {@link BlobStoreContract}, and what only a
 * network store can do — be down, be overloaded, and lose a connection halfway through an upload.
 * Files above 6 MiB go up in 5 MiB parts here, so the contract's 10 MB file is a multipart upload.
 */
abstract class S3BlobsContract extends BlobStoreContract {

    static final String PREFIX = "digits/";
    private static final int PART = 5 * 1024 * 1024;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private String bucket;
    private S3Client raw;

    /** The server; a test here stops and starts it. */
    protected abstract S3Target target();

    @Override
    protected BlobStore newStore() {
        bucket = target().createBucket();
        raw = closing(target().client());
        return blobs(target().endpoint());
    }

    @Override
    protected void overwriteStored(String sha256, byte[] bytes) {
        raw.putObject(request -> request.bucket(bucket).key(key(sha256)), RequestBody.fromBytes(bytes));
    }

    @Override
    protected long storedBlobs() {
        return raw.listObjectsV2(request -> request.bucket(bucket)).keyCount();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        closeables.clear();
    }

    @Test
    void blobsAreKeyedByTheirSha256UnderThePrefix() {
        String sha = store().put("4".getBytes(StandardCharsets.UTF_8));

        assertThat(raw.getObjectAsBytes(request -> request.bucket(bucket).key("digits/blobs/sha256/" + sha)).asUtf8String())
                .isEqualTo("4");
    }

    @Test
    void whenTheStoreIsDownEveryCallFailsFastAndNamesNoHostPortOrKey() throws Exception {
        String stored = store().put(random(100_000, 7));
        Path file = write("new.bin", random(200_000, 8));
        Path target = write("old.params", "the previous parameters".getBytes(StandardCharsets.UTF_8));
        URI endpoint = target().endpoint();
        List<String> secrets = List.of(endpoint.getHost(), String.valueOf(endpoint.getPort()), bucket, PREFIX,
                target().accessKey(), target().secretKey(), stored);

        target().stop();
        try {
            for (ThrowingCallable call : List.<ThrowingCallable>of(
                    () -> store().put(file),
                    () -> store().put(new byte[] {9}),
                    () -> store().get(stored, target),
                    () -> store().get(stored),
                    () -> store().exists(stored))) {
                long start = System.nanoTime();
                assertThatThrownBy(call).isInstanceOf(StorageUnavailableException.class)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secrets));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            }
            assertThat(target).hasContent("the previous parameters");
            assertThat(leftovers(temp)).isEmpty();
        } finally {
            target().start();
        }

        String sha = store().put(file);
        store().get(sha, target);
        assertThat(target).hasSameBinaryContentAs(file);
        assertThat(store().get(stored)).isEqualTo(random(100_000, 7));
    }

    @Test
    void anOverloadedStoreIsUnavailable() throws Exception {
        String stored = store().put(random(1000, 9));
        try (FaultyProxy proxy = new FaultyProxy(target().endpoint())) {
            BlobStore throughProxy = blobs(proxy.endpoint());
            proxy.answer503(true);

            assertThatThrownBy(() -> throughProxy.get(stored)).isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining("503");
            assertThatThrownBy(() -> throughProxy.exists(stored)).isInstanceOf(StorageUnavailableException.class);

            proxy.heal();
            assertThat(throughProxy.get(stored)).isEqualTo(random(1000, 9));
        }
    }

    @Test
    void anUploadCutHalfwayLeavesNothingVisible() throws Exception {
        Path single = write("single.bin", random(3 * 1024 * 1024, 10));
        Path parts = write("parts.bin", random(3 * PART + 1000, 11));
        try (FaultyProxy proxy = new FaultyProxy(target().endpoint())) {
            BlobStore throughProxy = blobs(proxy.endpoint());
            proxy.cutUploadsAfter(1024 * 1024);

            assertThatThrownBy(() -> throughProxy.put(single)).isInstanceOf(StorageUnavailableException.class);
            assertThatThrownBy(() -> throughProxy.put(parts)).isInstanceOf(StorageUnavailableException.class);

            assertThat(store().exists(sha256(java.nio.file.Files.readAllBytes(single)))).isFalse();
            assertThat(store().exists(sha256(java.nio.file.Files.readAllBytes(parts)))).isFalse();
            assertThat(storedBlobs()).isZero();
            assertThat(raw.listMultipartUploads(request -> request.bucket(bucket)).uploads())
                    .as("the interrupted multipart upload was aborted").isEmpty();

            proxy.heal();
            assertThat(throughProxy.get(throughProxy.put(parts))).isEqualTo(java.nio.file.Files.readAllBytes(parts));
            assertThat(storedBlobs()).isEqualTo(1);
        }
    }

    private BlobStore blobs(URI endpoint) {
        S3Properties properties = new S3Properties(endpoint, target().region(), bucket, PREFIX, true,
                target().accessKey(), target().secretKey(), false, Duration.ofSeconds(2), Duration.ofSeconds(30), 2);
        return new S3Blobs(closing(S3Storage.client(properties)), bucket, PREFIX, PART + 1024 * 1024, PART);
    }

    private String key(String sha256) {
        return PREFIX + "blobs/sha256/" + sha256;
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeables.add(closeable);
        return closeable;
    }
}
