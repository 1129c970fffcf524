package dev.digits.storage.filesystem;

import dev.digits.jobs.Job;
import dev.digits.jobs.JobPage;
import dev.digits.jobs.JobRepository;
import dev.digits.jobs.JobState;
import dev.digits.model.Json;
import dev.digits.storage.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs of one process on disk: {@code <root>/<id>.json}, written atomically, and
 * {@code <root>/<id>/checkpoints/}. Leases and cancellation requests live in memory, because one
 * process is the only trainer of such a store: after a restart no lease is held, so a job that was
 * running is claimed again at once and resumes from its checkpoint.
 */
public final class FilesystemJobs implements JobRepository {

    private static final Logger log = LoggerFactory.getLogger(FilesystemJobs.class);
    private static final Comparator<Job> OLDEST_FIRST = Comparator.comparing(Job::createdAt).thenComparing(Job::id);

    private final Path root;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, String> idempotencyKeys = new ConcurrentHashMap<>();
    private final Map<String, String> leases = new ConcurrentHashMap<>();
    private final Set<String> cancelRequests = ConcurrentHashMap.newKeySet();

    public FilesystemJobs(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
            AtomicFiles.removeLeftovers(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the job store", e);
        }
        for (Job job : readAll()) {
            jobs.put(job.id(), job);
            if (job.idempotencyKey() != null) {
                idempotencyKeys.put(job.idempotencyKey(), job.id());
            }
            if (job.state().isFinished()) {
                // A crash between recording the final state and deleting the checkpoints leaves them behind.
                deleteCheckpoints(job.id());
            }
        }
    }

    /** Every job on disk; an unreadable file is logged and skipped, never deleted. */
    private List<Job> readAll() {
        try (Stream<Path> files = Files.list(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).map(file -> {
                try {
                    return Json.read(file, Job.class);
                } catch (IOException | RuntimeException e) {
                    log.error("cannot read job file {}: {}", file.getFileName(), e.getMessage());
                    return null;
                }
            }).filter(job -> job != null).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the job store", e);
        }
    }

    @Override
    public synchronized Job insert(Job job) {
        String holder = job.idempotencyKey() == null ? null : idempotencyKeys.get(job.idempotencyKey());
        if (holder != null) {
            return jobs.get(holder);
        }
        write(job);
        if (job.idempotencyKey() != null) {
            idempotencyKeys.put(job.idempotencyKey(), job.id());
        }
        return job;
    }

    /** Only the trainer holding the job writes it (in one process, it holds it until the job finishes). */
    @Override
    public synchronized boolean save(Job job, String trainer) {
        if (!trainer.equals(leases.get(job.id()))) {
            return false;
        }
        write(job);
        return true;
    }

    private void write(Job job) {
        try {
            Json.writeAtomically(root.resolve(job.id() + ".json"), job);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save job " + job.id(), e);
        }
        jobs.put(job.id(), job);
        if (job.state().isFinished()) {
            leases.remove(job.id());
            cancelRequests.remove(job.id());
        }
    }

    @Override
    public Optional<Job> find(String id) {
        return Optional.ofNullable(id == null ? null : jobs.get(id));
    }

    @Override
    public Optional<Job> findByIdempotencyKey(String key) {
        return find(idempotencyKeys.get(key));
    }

    @Override
    public JobPage page(JobState state, int page, int size) {
        List<Job> matching = jobs.values().stream()
                .filter(j -> state == null || j.state() == state)
                .sorted(OLDEST_FIRST.reversed())
                .toList();
        int from = (int) Math.min(matching.size(), (long) page * size);
        return new JobPage(matching.subList(from, Math.min(matching.size(), from + size)), page, size, matching.size());
    }

    @Override
    public Map<JobState, Long> countByState() {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            counts.put(state, 0L);
        }
        jobs.values().forEach(job -> counts.merge(job.state(), 1L, Long::sum));
        return counts;
    }

    @Override
    public synchronized Optional<Job> claim(String trainer, Duration lease, boolean gpu) {
        Optional<Job> next = jobs.values().stream()
                .filter(j -> j.state() == JobState.QUEUED || j.state() == JobState.RUNNING)
                .filter(j -> !leases.containsKey(j.id()))
                .filter(j -> gpu || !j.request().needsGpu())
                .min(OLDEST_FIRST);
        next.ifPresent(job -> leases.put(job.id(), trainer));
        return next;
    }

    @Override
    public boolean renew(String id, String trainer, Duration lease) {
        return trainer.equals(leases.get(id));
    }

    @Override
    public void release(String id, String trainer) {
        leases.remove(id, trainer);
    }

    @Override
    public synchronized boolean cancelQueued(Job cancelled) {
        Job stored = jobs.get(cancelled.id());
        if (stored == null || stored.state() != JobState.QUEUED || leases.containsKey(cancelled.id())) {
            return false;
        }
        write(cancelled);
        return true;
    }

    @Override
    public void requestCancel(String id) {
        cancelRequests.add(id);
    }

    @Override
    public boolean cancelRequested(String id) {
        return cancelRequests.contains(id);
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public Path checkpoints(String id) {
        return root.resolve(id).resolve("checkpoints");
    }

    /** The checkpoint is already where a restarted process looks for it. */
    @Override
    public boolean storeCheckpoint(String id, String trainer) {
        return trainer.equals(leases.get(id));
    }

    @Override
    public void deleteCheckpoints(String id) {
        try {
            AtomicFiles.deleteRecursively(root.resolve(id));
        } catch (IOException e) {
            log.warn("cannot delete the checkpoints of job {}: {}", id, e.getMessage());
        }
    }
}
