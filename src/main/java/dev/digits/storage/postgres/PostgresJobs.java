package dev.digits.storage.postgres;

import dev.digits.jobs.Job;
import dev.digits.jobs.JobPage;
import dev.digits.jobs.JobRepository;
import dev.digits.jobs.JobState;
import dev.digits.model.Json;
import dev.digits.model.ModelArchive;
import dev.digits.storage.AtomicFiles;
import dev.digits.storage.BlobStore;
import dev.digits.storage.CorruptBlobException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowMapper;
import tools.jackson.core.type.TypeReference;

/**
 * Jobs in PostgreSQL ({@code jobs}), shared by every replica and trainer. A trainer claims the
 * oldest claimable job with {@code SELECT … FOR UPDATE SKIP LOCKED}, so trainers racing for jobs
 * never take the same one, and holds it with a lease on the database's clock that it renews. A
 * trainer that dies stops renewing; once its lease has run out another trainer claims the job and
 * resumes it from the checkpoint stored here.
 *
 * <p>Checkpoints are written locally ({@code <digits.home>/checkpoints/<id>/}) by training; the
 * newest one is uploaded to the {@link BlobStore} after each epoch, and its files' SHA-256 recorded
 * in the job's row ({@code checkpoint}), from where a trainer on another machine downloads it.
 */
public final class PostgresJobs implements JobRepository {

    private static final Logger log = LoggerFactory.getLogger(PostgresJobs.class);
    private static final String EPOCH_PREFIX = "epoch-";
    /** A manifest entry: an epoch folder and one of its files, nothing else (the row might have been edited). */
    private static final Pattern MANIFEST_PATH = Pattern.compile("epoch-[0-9a-z-]{1,40}/[A-Za-z0-9][A-Za-z0-9._-]{0,100}");
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}");
    private static final TypeReference<TreeMap<String, String>> MANIFEST = new TypeReference<>() {
    };
    private static final String UNFINISHED = "('QUEUED', 'RUNNING')";

    private final PostgresDatabase database;
    private final BlobStore blobs;
    private final Path checkpoints;

    /**
     * @param checkpoints the local folder for the checkpoints of the jobs trained here
     *                    ({@code <digits.home>/checkpoints})
     */
    public PostgresJobs(PostgresDatabase database, BlobStore blobs, Path checkpoints) {
        this.database = database;
        this.blobs = blobs;
        this.checkpoints = checkpoints;
        try {
            Files.createDirectories(checkpoints);
            AtomicFiles.removeLeftovers(checkpoints);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the local checkpoint folder: " + e.getClass().getSimpleName(), e);
        }
        removeFinishedCheckpoints();
    }

    /**
     * A crash between storing a job's final state and deleting its checkpoints leaves the local
     * folder behind: removed at the next start.
     */
    private void removeFinishedCheckpoints() {
        try (Stream<Path> children = Files.list(checkpoints)) {
            for (Path child : children.toList()) {
                String id = child.getFileName().toString();
                boolean unfinished = SAFE_ID.matcher(id).matches() && database.read(() -> database.jdbc().queryForObject(
                        "SELECT count(*) FROM jobs WHERE id = ? AND state IN " + UNFINISHED, Integer.class, id)) > 0;
                if (!unfinished) {
                    AtomicFiles.deleteRecursively(child);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot remove the local checkpoints of finished jobs: {}", e.getClass().getSimpleName());
        }
    }

    private static final RowMapper<Job> JOB = (rs, i) -> Json.MAPPER.readValue(rs.getString("job"), Job.class);

    @Override
    public Job insert(Job job) {
        int inserted = database.write(() -> database.jdbc().update(
                "INSERT INTO jobs (id, job, state, created_at, idempotency_key, needs_gpu) "
                        + "VALUES (?, ?::jsonb, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
                job.id(), json(job), job.state().name(), timestamp(job.createdAt()), job.idempotencyKey(), needsGpu(job)));
        if (inserted == 1) {
            return job;
        }
        // The key was taken, by an earlier request or by one racing this one: that job is the answer.
        return findByIdempotencyKey(job.idempotencyKey()).orElseThrow(
                () -> new IllegalStateException("job " + job.id() + " was neither stored nor found by its idempotency key"));
    }

    /**
     * Replaces the job if {@code trainer} is still its owner; a claim by another trainer changes the
     * owner, so a trainer that lost its lease can no longer overwrite what the new one stores. A
     * finished job gives up its lease, its cancellation request and its stored checkpoint in the same
     * statement.
     */
    @Override
    public boolean save(Job job, String trainer) {
        boolean finished = job.state().isFinished();
        return database.write(() -> database.jdbc().update(
                "UPDATE jobs SET job = ?::jsonb, state = ?, updated_at = now()"
                        + (finished ? ", owner = NULL, lease_until = NULL, cancel_requested = false, checkpoint = NULL" : "")
                        + " WHERE id = ? AND owner = ?",
                json(job), job.state().name(), job.id(), trainer)) == 1;
    }

    @Override
    public Optional<Job> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return database.read(() -> database.jdbc().query("SELECT job::text AS job FROM jobs WHERE id = ?", JOB, id))
                .stream().findFirst();
    }

    @Override
    public Optional<Job> findByIdempotencyKey(String key) {
        if (key == null) {
            return Optional.empty();
        }
        return database.read(() -> database.jdbc().query(
                "SELECT job::text AS job FROM jobs WHERE idempotency_key = ?", JOB, key)).stream().findFirst();
    }

    @Override
    public JobPage page(JobState state, int page, int size) {
        String where = state == null ? "" : " WHERE state = ?";
        Object[] filter = state == null ? new Object[0] : new Object[] {state.name()};
        long offset = (long) page * size;
        return database.read(() -> {
            long total = database.jdbc().queryForObject("SELECT count(*) FROM jobs" + where, Long.class, filter);
            List<Job> jobs = database.jdbc().query("SELECT job::text AS job FROM jobs" + where
                            + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", JOB,
                    Stream.concat(Stream.of(filter), Stream.of(size, offset)).toArray());
            return new JobPage(jobs, page, size, total);
        });
    }

    @Override
    public Map<JobState, Long> countByState() {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            counts.put(state, 0L);
        }
        database.read(() -> {
            database.jdbc().query("SELECT state, count(*) FROM jobs GROUP BY state",
                    rs -> {
                        counts.put(JobState.valueOf(rs.getString(1)), rs.getLong(2));
                    });
            return null;
        });
        return counts;
    }

    /**
     * One statement: the oldest queued job, or running job whose lease ran out, that this trainer may
     * run, locked while it is taken; rows another trainer is taking are skipped, not waited for.
     */
    @Override
    public Optional<Job> claim(String trainer, Duration lease, boolean gpu) {
        return database.write(() -> database.jdbc().query(
                "UPDATE jobs SET owner = ?, lease_until = now() + ? * interval '1 millisecond', updated_at = now() "
                        + "WHERE id = (SELECT id FROM jobs WHERE state IN " + UNFINISHED
                        + " AND (lease_until IS NULL OR lease_until < now()) AND (NOT needs_gpu OR ?) "
                        + "ORDER BY created_at, id FOR UPDATE SKIP LOCKED LIMIT 1) "
                        + "RETURNING job::text AS job", JOB, trainer, lease.toMillis(), gpu)).stream().findFirst();
    }

    /**
     * Only the trainer that holds the job renews its lease; once another trainer has claimed it (the
     * lease had run out), the first one's renewal fails and it stops.
     */
    @Override
    public boolean renew(String id, String trainer, Duration lease) {
        return database.write(() -> database.jdbc().update(
                "UPDATE jobs SET lease_until = now() + ? * interval '1 millisecond', updated_at = now() "
                        + "WHERE id = ? AND owner = ? AND state IN " + UNFINISHED,
                lease.toMillis(), id, trainer)) == 1;
    }

    @Override
    public void release(String id, String trainer) {
        database.write(() -> database.jdbc().update(
                "UPDATE jobs SET owner = NULL, lease_until = NULL, updated_at = now() WHERE id = ? AND owner = ?",
                id, trainer));
    }

    @Override
    public boolean cancelQueued(Job cancelled) {
        return database.write(() -> database.jdbc().update(
                "UPDATE jobs SET job = ?::jsonb, state = ?, owner = NULL, lease_until = NULL, cancel_requested = false, "
                        + "checkpoint = NULL, updated_at = now() "
                        + "WHERE id = ? AND state = 'QUEUED' AND (lease_until IS NULL OR lease_until < now())",
                json(cancelled), cancelled.state().name(), cancelled.id())) == 1;
    }

    @Override
    public void requestCancel(String id) {
        database.write(() -> database.jdbc().update(
                "UPDATE jobs SET cancel_requested = true, updated_at = now() WHERE id = ? AND state IN " + UNFINISHED, id));
    }

    @Override
    public boolean cancelRequested(String id) {
        return database.read(() -> database.jdbc().queryForList(
                "SELECT cancel_requested FROM jobs WHERE id = ?", Boolean.class, id)).stream().findFirst().orElse(false);
    }

    @Override
    public boolean shared() {
        return true;
    }

    /**
     * Makes the local folder hold the job's stored checkpoint, and nothing else: files that are
     * already there with the right SHA-256 are kept, the others downloaded (into a staging folder,
     * renamed into place once complete). Without a stored checkpoint the folder is emptied, since the
     * store is the truth about where the job stands; with one whose blobs are missing or damaged, too
     * (the job then trains from the start). A blob store that cannot be reached throws
     * {@link dev.digits.storage.StorageUnavailableException}.
     */
    @Override
    public Path checkpoints(String id) {
        Path folder = folder(id);
        Map<String, String> manifest = manifest(id);
        try {
            Set<String> epochs = new HashSet<>();
            manifest.keySet().forEach(path -> epochs.add(path.substring(0, path.indexOf('/'))));
            if (Files.isDirectory(folder)) {
                try (Stream<Path> children = Files.list(folder)) {
                    for (Path child : children.toList()) {
                        if (!epochs.contains(child.getFileName().toString())) {
                            AtomicFiles.deleteRecursively(child);
                        }
                    }
                }
            }
            for (String epoch : epochs) {
                fetchEpoch(folder, epoch, manifest);
            }
        } catch (CorruptBlobException e) {
            // A checkpoint only saves time: without it the job trains from the start rather than failing.
            log.warn("job {}: its stored checkpoint is missing or damaged in the blob store; training from the start", id);
            AtomicFiles.deleteQuietly(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the local checkpoint folder of job " + id + ": "
                    + e.getClass().getSimpleName(), e);
        }
        return folder;
    }

    private void fetchEpoch(Path folder, String epoch, Map<String, String> manifest) throws IOException {
        Path target = folder.resolve(epoch);
        Map<String, String> files = new TreeMap<>();
        manifest.forEach((path, sha) -> {
            if (path.startsWith(epoch + "/")) {
                files.put(path.substring(epoch.length() + 1), sha);
            }
        });
        if (files.entrySet().stream().allMatch(f -> holds(target.resolve(f.getKey()), f.getValue()))
                && fileNames(target).equals(files.keySet())) {
            return;
        }
        Files.createDirectories(folder);
        Path staged = AtomicFiles.stagingFolder(folder);
        try {
            Files.createDirectories(staged);
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path local = target.resolve(file.getKey());
                if (holds(local, file.getValue())) {
                    Files.copy(local, staged.resolve(file.getKey()));
                } else {
                    blobs.get(file.getValue(), staged.resolve(file.getKey()));
                }
            }
            AtomicFiles.deleteRecursively(target);
            AtomicFiles.moveIntoPlace(staged, target);
        } finally {
            AtomicFiles.deleteQuietly(staged);
        }
    }

    private static Set<String> fileNames(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return Set.of();
        }
        try (Stream<Path> children = Files.list(folder)) {
            return new HashSet<>(children.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** The stored checkpoint's files, or none; entries that are not an epoch folder's file are refused. */
    private Map<String, String> manifest(String id) {
        String json = database.read(() -> database.jdbc().queryForList(
                "SELECT checkpoint::text FROM jobs WHERE id = ?", String.class, id)).stream()
                .filter(value -> value != null).findFirst().orElse(null);
        if (json == null) {
            return Map.of();
        }
        Map<String, String> manifest = Json.MAPPER.readValue(json, MANIFEST);
        for (Map.Entry<String, String> entry : manifest.entrySet()) {
            if (!MANIFEST_PATH.matcher(entry.getKey()).matches() || entry.getValue() == null
                    || !entry.getValue().matches("[0-9a-f]{64}")) {
                throw new IllegalStateException("job " + id + " has a malformed checkpoint record");
            }
        }
        return manifest;
    }

    /**
     * Uploads the newest complete {@code epoch-*} folder and then records it as the job's checkpoint,
     * in that order: the record never names a file that is not stored.
     */
    @Override
    public boolean storeCheckpoint(String id, String trainer) {
        Path folder = folder(id);
        Optional<Path> newest;
        try {
            newest = newestEpoch(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the local checkpoints of job " + id + ": "
                    + e.getClass().getSimpleName(), e);
        }
        if (newest.isEmpty()) {
            return true;
        }
        Map<String, String> manifest = new TreeMap<>();
        String epoch = newest.get().getFileName().toString();
        try (Stream<Path> files = Files.list(newest.get())) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.startsWith(".")) {
                    manifest.put(epoch + "/" + name, blobs.put(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the local checkpoints of job " + id + ": "
                    + e.getClass().getSimpleName(), e);
        }
        boolean held = database.write(() -> database.jdbc().update(
                "UPDATE jobs SET checkpoint = ?::jsonb, updated_at = now() WHERE id = ? AND owner = ?",
                json(manifest), id, trainer)) == 1;
        log.debug("job {}: stored checkpoint {}: {}", id, epoch, held ? "recorded" : "not recorded, another trainer holds it");
        return held;
    }

    /** The newest epoch folder that has both of a checkpoint's files. */
    private static Optional<Path> newestEpoch(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(p -> p.getFileName().toString().startsWith(EPOCH_PREFIX))
                    .filter(p -> Files.isRegularFile(p.resolve("checkpoint.json"))
                            && Files.isRegularFile(p.resolve(ModelArchive.PARAMETERS)))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        }
    }

    @Override
    public void deleteCheckpoints(String id) {
        database.write(() -> database.jdbc().update(
                "UPDATE jobs SET checkpoint = NULL, updated_at = now() WHERE id = ?", id));
        // The blobs stay: they are immutable and may be shared.
        AtomicFiles.deleteQuietly(folder(id));
    }

    private Path folder(String id) {
        if (id == null || !SAFE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a job id: " + id);
        }
        return checkpoints.resolve(id);
    }

    /** Whether {@code file} exists and its SHA-256 is {@code sha256}. */
    private static boolean holds(Path file, String sha256) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            return ModelArchive.sha256(file).equalsIgnoreCase(sha256);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean needsGpu(Job job) {
        return job.request() != null && job.request().needsGpu();
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? OffsetDateTime.now(ZoneOffset.UTC) : instant.atOffset(ZoneOffset.UTC);
    }

    private static String json(Object value) {
        return Json.MAPPER.writeValueAsString(value);
    }
}
