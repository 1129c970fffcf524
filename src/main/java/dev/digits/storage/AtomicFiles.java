package dev.digits.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes and deletes that a crash cannot leave half done, for every store that keeps files. A file
 * or folder is written under a hidden temporary name and renamed into place; a folder is deleted by
 * renaming it away first. The hidden names are what {@link #removeLeftovers} sweeps at start-up.
 */
public final class AtomicFiles {

    private static final String STAGING = ".staging-";
    private static final String DELETED = ".deleted-";
    private static final String TEMPORARY = ".tmp";

    private AtomicFiles() {
    }

    /**
     * Writes {@code bytes} to a temporary file in the same folder, forces it to disk, then renames it
     * over {@code target}: a crash leaves the old file or the new one, never half of one.
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path temp = Files.createTempFile(folder, "." + target.getFileName(), TEMPORARY);
        try {
            try (var channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A fresh, not yet created folder name in {@code parent} for something being written. */
    public static Path stagingFolder(Path parent) {
        return parent.resolve(STAGING + UUID.randomUUID());
    }

    /** Renames a complete staged folder to {@code target}; fails if {@code target} exists. */
    public static void moveIntoPlace(Path staged, Path target) throws IOException {
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Makes {@code folder} disappear at once and completely, then removes its files. */
    public static void delete(Path folder) throws IOException {
        Path trash = folder.resolveSibling(DELETED + folder.getFileName() + "-" + UUID.randomUUID());
        Files.move(folder, trash, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(trash);
    }

    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        }
    }

    /** For clean-ups whose leftovers {@link #removeLeftovers} removes at the next start. */
    public static void deleteQuietly(Path path) {
        try {
            deleteRecursively(path);
        } catch (IOException ignored) {
            // hidden names are never read as data, and the next start sweeps them
        }
    }

    /**
     * Removes what interrupted writes and deletions left in {@code folder}: staging folders,
     * half-deleted folders and temporary files. None of them was ever complete data.
     */
    public static void removeLeftovers(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> children = Files.list(folder)) {
            for (Path child : children.toList()) {
                String name = child.getFileName().toString();
                if (name.startsWith(STAGING) || name.startsWith(DELETED)
                        || (name.startsWith(".") && name.endsWith(TEMPORARY))) {
                    deleteRecursively(child);
                }
            }
        }
    }
}
