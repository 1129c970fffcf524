package dev.digits.training;

import dev.digits.storage.AtomicFiles;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import dev.digits.model.Json;
import dev.digits.model.ModelArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Per-epoch checkpoints in one folder: {@code epoch-0003/} holds {@code model-0000.params} and
 * {@code checkpoint.json}. Each is staged and renamed into place, and only the newest is kept, so
 * a crash leaves at least one complete checkpoint once the first epoch has finished.
 *
 * <p>Only parameters are saved. DJL 0.36 cannot export an optimizer's state, so a resumed run
 * starts Adam's moment estimates (or SGD's momentum) from zero; the learning-rate schedule does
 * continue from the right step.
 */
final class Checkpoints {

    private static final String PREFIX = "epoch-";
    private static final String FILE = "checkpoint.json";

    private final Path folder;

    Checkpoints(Path folder) {
        this.folder = folder;
    }

    /** Sorts after the epoch it continues and before the next one. */
    private static String folderOf(Checkpoint checkpoint) {
        return checkpoint.batch() == 0 ? String.format(PREFIX + "%04d", checkpoint.epoch())
                : String.format(PREFIX + "%04d-batch-%05d", checkpoint.epoch(), checkpoint.batch());
    }

    void save(Model model, Checkpoint checkpoint) throws IOException {
        Files.createDirectories(folder);
        Path target = folder.resolve(folderOf(checkpoint));
        Path staging = Files.createTempDirectory(folder, ".staging");
        try {
            model.setProperty("Epoch", "0");
            model.save(staging, ModelArchive.NAME);
            Json.writeAtomically(staging.resolve(FILE), checkpoint);
            AtomicFiles.deleteRecursively(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            AtomicFiles.deleteRecursively(staging);
        }
        for (Path older : epochFolders()) {
            if (!older.equals(target)) {
                AtomicFiles.deleteRecursively(older);
            }
        }
    }

    /** The newest complete checkpoint, if any. */
    Optional<Checkpoint> latest() throws IOException {
        List<Path> folders = epochFolders();
        for (int i = folders.size() - 1; i >= 0; i--) {
            Path file = folders.get(i).resolve(FILE);
            if (Files.exists(file) && Files.exists(folders.get(i).resolve(ModelArchive.PARAMETERS))) {
                return Optional.of(Json.read(file, Checkpoint.class));
            }
        }
        return Optional.empty();
    }

    void loadInto(Model model, Checkpoint checkpoint) throws IOException {
        try {
            model.load(folder.resolve(folderOf(checkpoint)), ModelArchive.NAME,
                    Map.of("epoch", "0"));
        } catch (MalformedModelException e) {
            throw new IOException("checkpoint of epoch " + checkpoint.epoch() + " is unreadable", e);
        }
    }

    private List<Path> epochFolders() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(p -> p.getFileName().toString().startsWith(PREFIX))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }
}
