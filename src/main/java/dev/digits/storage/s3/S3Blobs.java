package dev.digits.storage.s3;

import dev.digits.storage.BlobStore;
import dev.digits.storage.CorruptBlobException;
import dev.digits.storage.StorageUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Blobs in an S3-compatible object store, under {@code <prefix>blobs/sha256/<hex>}.
 *
 * <p>Nothing half-written is ever visible: an S3 PUT makes an object appear whole or not at all, and a
 * file larger than {@value #MULTIPART_THRESHOLD} bytes goes up in parts that become an object only when
 * the upload is completed; a failed one is aborted (a bucket lifecycle rule for incomplete multipart
 * uploads removes the parts of an upload whose abort could not reach the store). Every request carries
 * a Content-MD5 of its body, which the store checks, and a multipart upload is completed only if the
 * parts sent hash to the blob's name: a file changed while it is stored is refused, not stored under
 * the wrong name. Reads are hashed as they are written to disk and replace the target only if they
 * match.
 *
 * <p>A store that cannot be reached, answers 5xx, throttles, or refuses the credentials or the bucket
 * raises {@link StorageUnavailableException}, whose message names no endpoint, bucket or key (the cause
 * has the details, for the log).
 */
public final class S3Blobs implements BlobStore {

    /** Files larger than this are uploaded in parts. */
    static final long MULTIPART_THRESHOLD = 64L << 20;
    /** S3 takes at most 10 000 parts: 16 MiB parts allow blobs of 156 GiB. */
    static final int PART_SIZE = 16 << 20;
    /** An upload may take this long, plus a second per MiB, before it counts as hung. */
    private static final Duration UPLOAD_GRACE = Duration.ofSeconds(30);

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 1 << 16;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final long multipartThreshold;
    private final int partSize;

    public S3Blobs(S3Client s3, String bucket, String prefix) {
        this(s3, bucket, prefix, MULTIPART_THRESHOLD, PART_SIZE);
    }

    /** With smaller parts, for tests: S3 requires parts of at least 5 MiB, the last one excepted. */
    S3Blobs(S3Client s3, String bucket, String prefix, long multipartThreshold, int partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix;
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
    }

    /**
     * Creates the bucket unless it exists, in {@code region} (AWS needs the region named for any but
     * us-east-1; other stores expect the region they were set up with).
     */
    public void createBucketIfMissing(String region) {
        try {
            s3.headBucket(request -> request.bucket(bucket));
            return;
        } catch (AwsServiceException e) {
            if (e.statusCode() != 404) {
                throw translate(e);
            }
        } catch (SdkClientException e) {
            throw translate(e);
        }
        call(() -> s3.createBucket(request -> {
            request.bucket(bucket);
            if (!"us-east-1".equals(region)) {
                request.createBucketConfiguration(configuration -> configuration.locationConstraint(region));
            }
        }));
    }

    @Override
    public String put(Path file) {
        Digests digests;
        try (InputStream in = Files.newInputStream(file)) {
            digests = Digests.of(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.getFileName(), e);
        }
        if (!exists(digests.sha256())) {
            if (digests.size() > multipartThreshold) {
                putInParts(file, digests.sha256());
            } else {
                call(() -> s3.putObject(request -> request.bucket(bucket).key(key(digests.sha256()))
                                .contentLength(digests.size()).contentMD5(digests.md5())
                                .overrideConfiguration(uploadTimeout(digests.size())),
                        RequestBody.fromFile(file)));
            }
        }
        return digests.sha256();
    }

    @Override
    public String put(byte[] bytes) {
        Digests digests;
        try {
            digests = Digests.of(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!exists(digests.sha256())) {
            call(() -> s3.putObject(request -> request.bucket(bucket).key(key(digests.sha256()))
                            .contentLength((long) bytes.length).contentMD5(digests.md5())
                            .overrideConfiguration(uploadTimeout(bytes.length)),
                    RequestBody.fromInputStream(new ByteArrayInputStream(bytes), bytes.length)));
        }
        return digests.sha256();
    }

    @Override
    public void get(String sha256, Path target) {
        String key = key(sha256);
        Path folder = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(folder);
            temp = Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
            String actual;
            try (ResponseInputStream<GetObjectResponse> in = call(() -> s3.getObject(request -> request.bucket(bucket).key(key)));
                 FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                actual = download(in, out);
                out.force(true);
            }
            if (!actual.equals(sha256)) {
                throw new CorruptBlobException("blob " + sha256 + " does not match its SHA-256");
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchKeyException e) {
            throw new CorruptBlobException("blob " + sha256 + " is missing");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write blob " + sha256 + " to " + target.getFileName(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public byte[] get(String sha256) {
        String key = key(sha256);
        byte[] bytes;
        try {
            bytes = call(() -> s3.getObjectAsBytes(request -> request.bucket(bucket).key(key))).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new CorruptBlobException("blob " + sha256 + " is missing");
        }
        if (!hex(sha256Digest().digest(bytes)).equals(sha256)) {
            throw new CorruptBlobException("blob " + sha256 + " does not match its SHA-256");
        }
        return bytes;
    }

    @Override
    public boolean exists(String sha256) {
        String key = key(sha256);
        try {
            s3.headObject(request -> request.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (AwsServiceException e) {
            // HEAD answers carry no error code: a plain 404 is a missing object
            if (e.statusCode() == 404) {
                return false;
            }
            throw translate(e);
        } catch (SdkClientException e) {
            throw translate(e);
        }
    }

    /** The object key of blob {@code sha256}. */
    String key(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256 in lower-case hex: " + sha256);
        }
        return prefix + "blobs/sha256/" + sha256;
    }

    /**
     * Uploads {@code file} in parts of {@link #partSize} bytes, each with its Content-MD5, and completes
     * the upload only if the bytes sent hash to {@code sha256}; aborts it on any failure.
     */
    private void putInParts(Path file, String sha256) {
        String key = key(sha256);
        String uploadId = call(() -> s3.createMultipartUpload(request -> request.bucket(bucket).key(key))).uploadId();
        boolean completed = false;
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest whole = sha256Digest();
            List<CompletedPart> parts = new ArrayList<>();
            byte[] buffer = new byte[partSize];
            for (int length = in.readNBytes(buffer, 0, partSize); length > 0; length = in.readNBytes(buffer, 0, partSize)) {
                whole.update(buffer, 0, length);
                int number = parts.size() + 1;
                int size = length;
                MessageDigest partDigest = md5Digest();
                partDigest.update(buffer, 0, length);
                String md5 = Base64.getEncoder().encodeToString(partDigest.digest());
                String etag = call(() -> s3.uploadPart(request -> request.bucket(bucket).key(key).uploadId(uploadId)
                                .partNumber(number).contentLength((long) size).contentMD5(md5)
                                .overrideConfiguration(uploadTimeout(size)),
                        RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, size), size))).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            if (!hex(whole.digest()).equals(sha256)) {
                throw new IllegalStateException(file.getFileName() + " changed while it was being stored");
            }
            call(() -> s3.completeMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(parts))));
            completed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.getFileName(), e);
        } finally {
            if (!completed) {
                abort(key, uploadId);
            }
        }
    }

    private void abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            // the parts stay invisible; the bucket's lifecycle rule for incomplete uploads removes them
        }
    }

    /** Copies the object to {@code out}, returning its SHA-256; a broken connection is an unreachable store. */
    private static String download(InputStream in, FileChannel out) throws IOException {
        MessageDigest digest = sha256Digest();
        byte[] buffer = new byte[BUFFER];
        while (true) {
            int read;
            try {
                read = in.read(buffer);
            } catch (IOException | SdkClientException e) {
                throw new StorageUnavailableException("the object store stopped answering during a download", e);
            }
            if (read < 0) {
                return hex(digest.digest());
            }
            digest.update(buffer, 0, read);
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
        }
    }

    private static AwsRequestOverrideConfiguration uploadTimeout(long bytes) {
        return AwsRequestOverrideConfiguration.builder()
                .apiCallAttemptTimeout(UPLOAD_GRACE.plusSeconds(bytes >> 20))
                .build();
    }

    private interface Call<T> {
        T run();
    }

    /** Runs one request, translating what says the store is unusable; a missing key passes through. */
    private static <T> T call(Call<T> request) {
        try {
            return request.run();
        } catch (NoSuchKeyException e) {
            throw e;
        } catch (SdkException e) {
            throw translate(e);
        }
    }

    private static RuntimeException translate(SdkException e) {
        if (e instanceof AbortedException) {
            // the request was interrupted (a job cancelled, a shutdown): the caller must still see it
            Thread.currentThread().interrupt();
            return new StorageUnavailableException("interrupted while waiting for the object store", e);
        }
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            if (status >= 500 || status == 429 || status == 401 || status == 403 || e instanceof NoSuchBucketException) {
                return new StorageUnavailableException("the object store is unavailable (HTTP " + status
                        + (code == null ? "" : " " + code) + ")", e);
            }
            if ("BadDigest".equals(code) || "InvalidDigest".equals(code)) {
                return new IllegalStateException("a file changed while it was being stored", e);
            }
            return new IllegalStateException("the object store refused a request (HTTP " + status
                    + (code == null ? "" : " " + code) + ")", e);
        }
        return new StorageUnavailableException("the object store cannot be reached", e);
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a hidden temporary file, never read as a blob
        }
    }

    private static MessageDigest sha256Digest() {
        return digest("SHA-256");
    }

    private static MessageDigest md5Digest() {
        return digest("MD5");
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** What one pass over the content gives: its name, the Content-MD5 the store checks, its size. */
    private record Digests(String sha256, String md5, long size) {

        static Digests of(InputStream in) throws IOException {
            MessageDigest sha256 = sha256Digest();
            MessageDigest md5 = md5Digest();
            byte[] buffer = new byte[BUFFER];
            long size = 0;
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                sha256.update(buffer, 0, read);
                md5.update(buffer, 0, read);
                size += read;
            }
            return new Digests(hex(sha256.digest()), Base64.getEncoder().encodeToString(md5.digest()), size);
        }
    }
}
