package dev.digits.storage.filesystem;

import dev.digits.storage.BlobStore;
import dev.digits.storage.CorruptBlobException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Blobs as files under one folder, {@code <root>/<first two hex digits>/<sha256>}: for the PostgreSQL
 * store on one machine, or on a volume its replicas share ({@code digits.blobs=filesystem}).
 *
 * <p>A blob is written to a hidden temporary file in the root while it is hashed, forced to disk and
 * renamed to its name, so it appears complete or not at all; writing the same bytes again replaces the
 * file with an identical one, which also repairs a damaged copy. A read is copied to a temporary file
 * beside the target while it is hashed and renamed over the target only if the hash matches.
 */
public final class FilesystemBlobs implements BlobStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String TEMPORARY_PREFIX = ".blob-";
    private static final String TEMPORARY_SUFFIX = ".tmp";
    /** Older temporary files than this are leftovers of a crash, not a write in progress elsewhere. */
    private static final Duration ABANDONED = Duration.ofHours(24);
    private static final int BUFFER = 1 << 16;

    private final Path root;

    public FilesystemBlobs(Path root) {
        this.root = root.toAbsolutePath();
        try {
            Files.createDirectories(this.root);
            removeAbandonedWrites();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the blob folder " + this.root, e);
        }
    }

    @Override
    public String put(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return store(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + file.getFileName() + " as a blob", e);
        }
    }

    @Override
    public String put(byte[] bytes) {
        try {
            return store(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store a blob", e);
        }
    }

    @Override
    public void get(String sha256, Path target) {
        Path source = path(sha256);
        Path folder = target.toAbsolutePath().getParent();
        Path temp = null;
        try (InputStream in = Files.newInputStream(source)) {
            Files.createDirectories(folder);
            temp = Files.createTempFile(folder, "." + target.getFileName(), TEMPORARY_SUFFIX);
            String actual = copy(in, temp);
            if (!actual.equals(sha256)) {
                throw new CorruptBlobException("blob " + sha256 + " does not match its SHA-256");
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            if (!Files.exists(source)) {
                throw new CorruptBlobException("blob " + sha256 + " is missing");
            }
            throw new UncheckedIOException("cannot read blob " + sha256, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + sha256, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public byte[] get(String sha256) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path(sha256));
        } catch (NoSuchFileException e) {
            throw new CorruptBlobException("blob " + sha256 + " is missing");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + sha256, e);
        }
        if (!hex(sha256().digest(bytes)).equals(sha256)) {
            throw new CorruptBlobException("blob " + sha256 + " does not match its SHA-256");
        }
        return bytes;
    }

    @Override
    public boolean exists(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    /** Where blob {@code sha256} is kept; for tests that damage it. */
    Path path(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256 in lower-case hex: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private String store(InputStream in) throws IOException {
        Path temp = Files.createTempFile(root, TEMPORARY_PREFIX, TEMPORARY_SUFFIX);
        try {
            String sha256 = copy(in, temp);
            Path target = path(sha256);
            Files.createDirectories(target.getParent());
            // The same name always holds the same bytes, so replacing a concurrent writer's file is harmless.
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return sha256;
        } finally {
            deleteQuietly(temp);
        }
    }

    /** Copies {@code in} to {@code temp}, forces it to disk, and returns the SHA-256 of what was copied. */
    private static String copy(InputStream in, Path temp) throws IOException {
        MessageDigest digest = sha256();
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[BUFFER];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
            out.force(true);
        }
        return hex(digest.digest());
    }

    private void removeAbandonedWrites() throws IOException {
        Instant before = Instant.now().minus(ABANDONED);
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : children.toList()) {
                String name = child.getFileName().toString();
                if (name.startsWith(TEMPORARY_PREFIX) && name.endsWith(TEMPORARY_SUFFIX)
                        && Files.getLastModifiedTime(child).compareTo(FileTime.from(before)) < 0) {
                    Files.deleteIfExists(child);
                }
            }
        }
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
