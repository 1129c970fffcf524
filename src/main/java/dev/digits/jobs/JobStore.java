package dev.digits.jobs;

import dev.digits.model.Json;
import dev.digits.model.ModelArchive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Jobs on disk: {@code <root>/<id>.json}, written atomically, and {@code <root>/<id>/} for checkpoints. */
final class JobStore {

    private static final Logger log = LoggerFactory.getLogger(JobStore.class);

    private final Path root;

    JobStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
            Json.removeInterruptedWrites(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the job store " + root, e);
        }
    }

    void save(Job job) {
        try {
            Json.writeAtomically(root.resolve(job.id() + ".json"), job);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save job " + job.id(), e);
        }
    }

    /** Every job on disk; an unreadable file is logged and skipped, never deleted. */
    List<Job> loadAll() {
        List<Job> jobs = new ArrayList<>();
        try (Stream<Path> files = Files.list(root)) {
            for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                try {
                    jobs.add(Json.read(file, Job.class));
                } catch (IOException | RuntimeException e) {
                    log.error("cannot read job file {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return jobs;
    }

    Path checkpoints(String id) {
        return root.resolve(id).resolve("checkpoints");
    }

    void deleteCheckpoints(String id) {
        try {
            ModelArchive.deleteRecursively(root.resolve(id));
        } catch (IOException e) {
            log.warn("cannot delete the checkpoints of job {}: {}", id, e.getMessage());
        }
    }
}
