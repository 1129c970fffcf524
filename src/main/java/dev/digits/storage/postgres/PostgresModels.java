package dev.digits.storage.postgres;

import dev.digits.model.Json;
import dev.digits.model.ModelArchive;
import dev.digits.model.ModelFormatException;
import dev.digits.model.ModelMetadata;
import dev.digits.registry.DamagedModelException;
import dev.digits.registry.ModelInUseException;
import dev.digits.registry.ModelRepository;
import dev.digits.registry.OpenedModel;
import dev.digits.registry.StagedModel;
import dev.digits.registry.UnknownModelException;
import dev.digits.storage.AtomicFiles;
import dev.digits.storage.BlobCache;
import dev.digits.storage.CorruptBlobException;
import dev.digits.storage.BlobStore;
import dev.digits.storage.StorageUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Model versions in PostgreSQL ({@code model_versions}: the metadata, the parameters' SHA-256) with
 * the parameters in the {@link BlobStore}, and the aliases in {@code model_aliases}.
 *
 * <p>A version is registered by uploading its parameters, then numbering it and inserting its row in
 * one transaction: an upload that fails leaves no row, and a row is only written once its blob is
 * complete. Registrations take turns on {@code model_version_counter}; a job's model is registered at
 * most once ({@code job_id} is unique). Alias changes lock {@code model_aliases} and
 * {@code NOTIFY digits_aliases}, which every replica listens to.
 *
 * <p>Locally, under {@code <digits.home>}: {@code staging/} for archives being written,
 * {@code cache/blobs/} for the parameters downloaded (and verified) from the blob store
 * ({@link BlobCache}), and {@code cache/models/<version>/} for opened versions: a link to their
 * parameters and their {@code model.json}.
 */
public final class PostgresModels implements ModelRepository, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresModels.class);

    private final PostgresDatabase database;
    private final BlobStore blobs;
    private final Path staging;
    private final Path cache;
    private final Path blobCacheRoot;
    private final BlobCache blobCache;
    private final AliasNotifications notifications;

    /**
     * @param home the local folder for staging and the cache of opened versions ({@code digits.home})
     */
    public PostgresModels(PostgresDatabase database, BlobStore blobs, Path home) {
        this.database = database;
        this.blobs = blobs;
        this.staging = home.resolve("staging");
        this.cache = home.resolve("cache").resolve("models");
        this.blobCacheRoot = home.resolve("cache").resolve("blobs");
        this.blobCache = new BlobCache(blobs, blobCacheRoot);
        this.notifications = new AliasNotifications(database);
        try {
            Files.createDirectories(staging);
            Files.createDirectories(cache);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the local model folders: " + e.getClass().getSimpleName(), e);
        }
    }

    private record Row(String version, String metadata, String parameters) {
    }

    @Override
    public Scan scan() {
        List<ModelMetadata> versions = new ArrayList<>();
        Map<String, String> corrupt = new TreeMap<>(Comparator.comparingInt(Integer::parseInt));
        for (Row row : rows()) {
            try {
                versions.add(parse(row));
            } catch (ModelFormatException e) {
                corrupt.put(row.version(), e.getMessage());
            }
        }
        return new Scan(versions, corrupt);
    }

    private List<Row> rows() {
        return database.read(() -> database.jdbc().query(
                "SELECT version, metadata::text AS metadata, parameters_sha256 FROM model_versions ORDER BY version",
                (rs, i) -> new Row(String.valueOf(rs.getInt(1)), rs.getString(2), rs.getString(3))));
    }

    private Optional<Row> row(String version) {
        if (!isVersionName(version)) {
            return Optional.empty();
        }
        return database.read(() -> database.jdbc().query(
                "SELECT version, metadata::text AS metadata, parameters_sha256 FROM model_versions WHERE version = ?",
                (rs, i) -> new Row(String.valueOf(rs.getInt(1)), rs.getString(2), rs.getString(3)),
                Integer.parseInt(version)).stream().findFirst());
    }

    /** The row's metadata, as {@link ModelArchive#readMetadata} would accept it. */
    private static ModelMetadata parse(Row row) {
        ModelMetadata metadata;
        try {
            metadata = Json.MAPPER.readValue(row.metadata(), ModelMetadata.class);
        } catch (RuntimeException e) {
            throw new ModelFormatException("the stored model.json is not valid model metadata");
        }
        if (metadata == null || metadata.architecture() == null || metadata.sha256() == null) {
            throw new ModelFormatException("model.json lacks the architecture or the checksum");
        }
        return metadata.withVersion(row.version());
    }

    @Override
    public List<String> versionNumbers() {
        return database.read(() -> database.jdbc().queryForList(
                "SELECT version FROM model_versions ORDER BY version", Integer.class)).stream()
                .map(String::valueOf).toList();
    }

    @Override
    public boolean exists(String version) {
        return row(version).isPresent();
    }

    @Override
    public ModelMetadata metadata(String version) {
        Row row = row(version).orElseThrow(() -> new UnknownModelException(version));
        try {
            return parse(row);
        } catch (ModelFormatException e) {
            throw new DamagedModelException(version, e.getMessage());
        }
    }

    /**
     * Checks the version's metadata and its parameters as a loader would see them: downloaded,
     * their checksum, their layout. A store that cannot be reached is not a damaged version: that
     * throws {@link StorageUnavailableException} instead.
     */
    @Override
    public Optional<String> verify(String version) {
        try {
            OpenedModel opened = open(version);
            ModelArchive.verify(opened.folder(), opened.metadata());
            return Optional.empty();
        } catch (StorageUnavailableException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            return Optional.of(describe(e));
        }
    }

    @Override
    public StagedModel stage() {
        return new StagedModel(AtomicFiles.stagingFolder(staging));
    }

    @Override
    public String register(StagedModel staged) {
        Path folder = staged.folder();
        ModelMetadata metadata;
        try {
            metadata = ModelArchive.readMetadata(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot register a model: " + describe(e), e);
        }
        String jobId = jobIdOf(metadata);
        if (jobId != null) {
            Optional<String> earlier = versionOfJob(jobId);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        Path parameters = folder.resolve(ModelArchive.PARAMETERS);
        if (!Files.isRegularFile(parameters)) {
            throw new ModelFormatException(ModelArchive.PARAMETERS + " is missing");
        }
        // First the blob, complete, then the row that points at it: a failed upload registers nothing.
        String sha256 = blobs.put(parameters);
        return database.inTransaction(status -> {
            int last = database.jdbc().queryForObject(
                    "SELECT last_version FROM model_version_counter WHERE singleton FOR UPDATE", Integer.class);
            if (jobId != null) {
                // Registrations take turns on the counter, so this sees any version the job made meanwhile.
                Optional<String> earlier = versionOfJob(jobId);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            int version = last + 1;
            database.jdbc().update("UPDATE model_version_counter SET last_version = ? WHERE singleton", version);
            database.jdbc().update("INSERT INTO model_versions (version, metadata, parameters_sha256, job_id) "
                            + "VALUES (?, ?::jsonb, ?, ?)",
                    version, json(metadata.withVersion(String.valueOf(version))), sha256, jobId);
            log.debug("registered version {} (parameters {})", version, sha256);
            return String.valueOf(version);
        });
    }

    private Optional<String> versionOfJob(String jobId) {
        return database.read(() -> database.jdbc().queryForList(
                "SELECT version FROM model_versions WHERE job_id = ?", Integer.class, jobId)).stream()
                .map(String::valueOf).findFirst();
    }

    private static String jobIdOf(ModelMetadata metadata) {
        Object job = metadata.lineage() == null ? null : metadata.lineage().get("jobId");
        return job == null ? null : job.toString();
    }

    /**
     * {@code cache/models/<version>/}: the parameters (a link to their copy in the blob cache, which
     * downloads and verifies them once per machine) and the metadata as stored.
     */
    @Override
    public OpenedModel open(String version) {
        Row row = row(version).orElseThrow(() -> new UnknownModelException(version));
        ModelMetadata metadata;
        try {
            metadata = parse(row);
        } catch (ModelFormatException e) {
            throw new DamagedModelException(version, e.getMessage());
        }
        Path cached = blobCache.fetch(row.parameters(), ModelArchive.PARAMETERS);
        Path folder = cache.resolve(row.version());
        try {
            Files.createDirectories(folder);
            Path parameters = folder.resolve(ModelArchive.PARAMETERS);
            if (!sameFile(parameters, cached)) {
                linkOrCopy(cached, parameters);
            }
            Path file = folder.resolve(ModelArchive.METADATA);
            byte[] json = Json.MAPPER.writeValueAsBytes(metadata);
            if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), json)) {
                AtomicFiles.write(file, json);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the local copy of version " + version + ": " + describe(e), e);
        }
        return new OpenedModel(metadata, folder);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** Replaces {@code target} at once with a hard link to {@code source}, or a copy where links fail. */
    private static void linkOrCopy(Path source, Path target) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + "-" + UUID.randomUUID() + ".tmp");
        try {
            try {
                Files.createLink(temp, source);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(source, temp);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Refused while an alias points at the version; the alias writers are locked out meanwhile. */
    @Override
    public void delete(String version) {
        if (!isVersionName(version)) {
            throw new UnknownModelException(version);
        }
        int number = Integer.parseInt(version);
        database.inTransaction(status -> {
            lockAliases();
            List<String> users = database.jdbc().queryForList(
                    "SELECT alias FROM model_aliases WHERE version = ? ORDER BY alias", String.class, number);
            if (!users.isEmpty()) {
                throw new ModelInUseException(version, users);
            }
            if (database.jdbc().update("DELETE FROM model_versions WHERE version = ?", number) == 0) {
                throw new UnknownModelException(version);
            }
            return null;
        });
        // The blob stays: other versions may have the same parameters, and blobs are immutable.
        AtomicFiles.deleteQuietly(cache.resolve(version));
    }

    @Override
    public Map<String, String> aliases() {
        return database.read(this::readAliases);
    }

    private Map<String, String> readAliases() {
        Map<String, String> aliases = new TreeMap<>();
        database.jdbc().query("SELECT alias, version FROM model_aliases",
                rs -> {
                    aliases.put(rs.getString(1), String.valueOf(rs.getInt(2)));
                });
        return Map.copyOf(aliases);
    }

    /**
     * One transaction that holds the aliases' lock from the read to the commit, so that two replicas
     * changing them at once each see the other's change. A change that names a version that does not
     * exist is refused; a change is announced to every replica at commit.
     */
    @Override
    public Map<String, String> updateAliases(UnaryOperator<Map<String, String>> change) {
        return database.inTransaction(status -> {
            lockAliases();
            Map<String, String> current = readAliases();
            Map<String, String> updated = new TreeMap<>(change.apply(new LinkedHashMap<>(current)));
            if (updated.equals(current)) {
                return Map.copyOf(updated);
            }
            checkVersionsExist(updated);
            for (String alias : current.keySet()) {
                if (!updated.containsKey(alias)) {
                    database.jdbc().update("DELETE FROM model_aliases WHERE alias = ?", alias);
                }
            }
            for (Map.Entry<String, String> entry : updated.entrySet()) {
                if (!entry.getValue().equals(current.get(entry.getKey()))) {
                    database.jdbc().update("INSERT INTO model_aliases (alias, version) VALUES (?, ?) "
                                    + "ON CONFLICT (alias) DO UPDATE SET version = EXCLUDED.version",
                            entry.getKey(), Integer.parseInt(entry.getValue()));
                }
            }
            database.jdbc().execute("NOTIFY " + AliasNotifications.CHANNEL);
            return Map.copyOf(updated);
        });
    }

    private void lockAliases() {
        // EXCLUSIVE: other writers (and deletions of versions) wait; plain reads go on.
        database.jdbc().execute("LOCK TABLE model_aliases IN EXCLUSIVE MODE");
    }

    private void checkVersionsExist(Map<String, String> aliases) {
        for (String version : new HashSet<>(aliases.values())) {
            if (!isVersionName(version) || database.jdbc().queryForObject(
                    "SELECT count(*) FROM model_versions WHERE version = ?", Integer.class,
                    Integer.parseInt(version)) == 0) {
                throw new UnknownModelException(version);
            }
        }
    }

    @Override
    public void onAliasesChanged(Runnable listener) {
        notifications.add(listener);
    }

    /** Whether alias changes are being listened to now (for tests and diagnostics). */
    boolean listening() {
        return notifications.listening();
    }

    /**
     * Removes the local staging folders that interrupted writes left, and the local copies of
     * versions (and of parameters) that no longer exist.
     */
    @Override
    public void removeAbandonedStaging() {
        try {
            AtomicFiles.removeLeftovers(staging);
            AtomicFiles.removeLeftovers(cache);
            List<Row> rows = rows();
            Set<String> versions = new HashSet<>();
            Set<String> parameters = new HashSet<>();
            rows.forEach(row -> {
                versions.add(row.version());
                parameters.add(row.parameters());
            });
            removeAllBut(cache, versions);
            removeAllBut(blobCacheRoot, parameters);
        } catch (IOException e) {
            log.warn("cannot clean the local model folders: {}", e.getClass().getSimpleName());
        }
    }

    private static void removeAllBut(Path folder, Set<String> keep) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> children = Files.list(folder)) {
            for (Path child : children.toList()) {
                if (!keep.contains(child.getFileName().toString())) {
                    AtomicFiles.deleteRecursively(child);
                }
            }
        }
    }

    /**
     * Names files by their file name only, and never repeats what the driver or the blob store
     * said about where they are.
     */
    @Override
    public String describe(Throwable e) {
        if (e instanceof UncheckedIOException unchecked && unchecked.getCause() != null) {
            return describe(unchecked.getCause());
        }
        if (e instanceof NoSuchFileException missing) {
            return fileName(missing.getFile()) + " is missing";
        }
        if (e instanceof FileSystemException file) {
            return fileName(file.getFile()) + ": " + (file.getReason() != null ? file.getReason()
                    : e.getClass().getSimpleName());
        }
        if (e instanceof StorageUnavailableException) {
            return withoutAddresses(e.getMessage());
        }
        if (e instanceof CorruptBlobException) {
            return "the stored parameters are missing or damaged";
        }
        if (e instanceof DataAccessException) {
            return "the database refused the operation";
        }
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return withoutAddresses(message);
    }

    private String withoutAddresses(String message) {
        if (message == null) {
            return "";
        }
        for (Path root : List.of(staging, cache, blobCacheRoot)) {
            message = message.replace(root.toAbsolutePath().normalize().toString(), "").replace(root.toString(), "");
        }
        return message.replaceAll("(?i)\\b(jdbc:)?[a-z][a-z0-9+.-]*://\\S+", "(address)");
    }

    private static String fileName(String path) {
        return path == null ? "a file" : Path.of(path).getFileName().toString();
    }

    private static String json(Object value) {
        return Json.MAPPER.writeValueAsString(value);
    }

    private static boolean isVersionName(String name) {
        return name != null && name.matches("[1-9][0-9]{0,8}");
    }

    /** Stops listening for alias changes. */
    @Override
    public void close() {
        notifications.close();
    }
}
