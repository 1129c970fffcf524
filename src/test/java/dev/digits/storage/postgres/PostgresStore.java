package dev.digits.storage.postgres;

import dev.digits.storage.filesystem.FilesystemBlobs;
import dev.digits.support.PostgresTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One test's store: a fresh database on a real PostgreSQL, migrated, and blobs in a temp folder.
 * {@link #database()} gives each simulated replica a pool of its own on the same database.
 */
final class PostgresStore implements AutoCloseable {

    final PostgresTarget target;
    final String name;
    final SwitchableBlobs blobs;
    final Path folder;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private PostgresStore(PostgresTarget target, String name, Path folder) {
        this.target = target;
        this.name = name;
        this.folder = folder;
        this.blobs = new SwitchableBlobs(new FilesystemBlobs(folder.resolve("blobs")));
    }

    static PostgresStore create(PostgresTarget target) {
        try {
            PostgresStore store = new PostgresStore(target, target.createDatabase(), Files.createTempDirectory("digits-pg-store-"));
            store.database().migrate();
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new pool on the store's database, as another replica would have; closed with the store. */
    PostgresDatabase database() {
        PostgresDatabase database = new PostgresDatabase(
                PostgresDatabase.pool(target.jdbcUrl(name), target.username(), target.password()));
        closeables.add(database);
        return database;
    }

    /** A local folder of a replica or trainer's own ({@code digits.home}). */
    Path home(String replica) {
        return folder.resolve("home-" + replica);
    }

    <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @Override
    public void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        dev.digits.storage.AtomicFiles.deleteQuietly(folder);
    }
}
