package dev.digits.registry;

import dev.digits.model.Json;
import dev.digits.model.ModelArchive;
import dev.digits.model.ModelFormatException;
import dev.digits.model.ModelMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;

/**
 * The models on disk: {@code <root>/<version>/} folders in {@link ModelArchive} format, numbered
 * 1, 2, 3…, and {@code <root>/aliases.json}. The disk is the truth; several replicas may share it,
 * so new versions are claimed by an atomic rename and alias updates hold a file lock.
 */
public final class ModelStore {

    private static final Logger log = LoggerFactory.getLogger(ModelStore.class);
    private static final String ALIASES = "aliases.json";
    private static final String LOCK = ".lock";

    private final Path root;

    public ModelStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the model store " + root, e);
        }
    }

    /**
     * Every readable version, oldest first, and the folders that could not be read with the reason.
     * Only the metadata is read; {@link #verify} checks the parameters too.
     */
    public Scan scan() {
        List<ModelMetadata> versions = new ArrayList<>();
        Map<String, String> corrupt = new TreeMap<>(Comparator.comparingInt(Integer::parseInt));
        for (Path folder : versionFolders()) {
            String version = folder.getFileName().toString();
            try {
                ModelMetadata metadata = ModelArchive.readMetadata(folder);
                if (!Files.exists(folder.resolve(ModelArchive.PARAMETERS))) {
                    throw new ModelFormatException(ModelArchive.PARAMETERS + " is missing");
                }
                versions.add(metadata.withVersion(version));
            } catch (IOException | RuntimeException e) {
                corrupt.put(version, describe(e));
            }
        }
        return new Scan(versions, corrupt);
    }

    /**
     * Checks a version completely without loading it: its metadata, the checksum of its parameters
     * and their layout.
     *
     * @return why the version cannot be used, or empty if it can
     */
    public Optional<String> verify(String version) {
        try {
            Path folder = folder(version);
            ModelArchive.verify(folder, ModelArchive.readMetadata(folder));
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of(describe(e));
        }
    }

    /** The version numbers on disk, readable or not, oldest first. */
    public List<String> versionNumbers() {
        return versionFolders().stream().map(p -> p.getFileName().toString()).toList();
    }

    /**
     * What went wrong with a file of the store, in words a response may carry: files are named by
     * their name in the version folder, never by their path.
     */
    String describe(Throwable e) {
        if (e instanceof UncheckedIOException unchecked) {
            return describe(unchecked.getCause());
        }
        if (e instanceof NoSuchFileException missing) {
            return fileName(missing.getFile()) + " is missing";
        }
        if (e instanceof FileSystemException file) {
            return fileName(file.getFile()) + ": " + (file.getReason() != null ? file.getReason()
                    : e.getClass().getSimpleName());
        }
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        // Messages we did not write (the engine's) might still name a file by its path.
        return message.replace(root.toAbsolutePath().normalize().toString(), "").replace(root.toString(), "");
    }

    private static String fileName(String path) {
        return path == null ? "a file" : Path.of(path).getFileName().toString();
    }

    public record Scan(List<ModelMetadata> versions, Map<String, String> corrupt) {
    }

    public boolean exists(String version) {
        return isVersionName(version) && Files.isDirectory(folder(version));
    }

    public Path folder(String version) {
        if (!isVersionName(version)) {
            throw new UnknownModelException(version);
        }
        return root.resolve(version);
    }

    public ModelMetadata metadata(String version) {
        if (!exists(version)) {
            throw new UnknownModelException(version);
        }
        try {
            return ModelArchive.readMetadata(folder(version)).withVersion(version);
        } catch (IOException | ModelFormatException e) {
            throw new DamagedModelException(version, describe(e));
        }
    }

    /** A fresh folder name inside the store for a model that is being written; see {@link #register}. */
    public Path newStagingFolder() {
        return root.resolve(".staging-" + UUID.randomUUID());
    }

    /**
     * Turns a complete model folder (written at {@link #newStagingFolder()}) into the next version.
     * The version number is claimed by renaming the folder, which fails if another replica got there
     * first; then the next number is tried.
     */
    public String register(Path staged) {
        try {
            ModelMetadata metadata = ModelArchive.readMetadata(staged);
            while (true) {
                String version = String.valueOf(highestVersion() + 1);
                Json.writeAtomically(staged.resolve(ModelArchive.METADATA), metadata.withVersion(version));
                try {
                    Files.move(staged, root.resolve(version), StandardCopyOption.ATOMIC_MOVE);
                    return version;
                } catch (FileAlreadyExistsException e) {
                    log.debug("version {} was taken by another writer, trying the next", version);
                } catch (IOException e) {
                    if (!Files.exists(root.resolve(version))) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot register " + staged, e);
        }
    }

    /** Removes a version: renamed away first, so that it disappears at once and completely. */
    public void delete(String version) {
        Path trash = root.resolve(".deleted-" + version + "-" + UUID.randomUUID());
        try {
            Files.move(folder(version), trash, StandardCopyOption.ATOMIC_MOVE);
            ModelArchive.deleteRecursively(trash);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete version " + version, e);
        }
    }

    public Map<String, String> aliases() {
        Path file = root.resolve(ALIASES);
        if (!Files.exists(file)) {
            return Map.of();
        }
        try {
            return Map.copyOf(Json.MAPPER.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, String>>() {
            }));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read " + ALIASES + ": " + e.getMessage(), e);
        }
    }

    /** Reads, changes and writes the aliases under a lock that every replica sharing the store honours. */
    public Map<String, String> updateAliases(UnaryOperator<Map<String, String>> change) {
        try (FileChannel channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            Map<String, String> updated = new TreeMap<>(change.apply(new LinkedHashMap<>(aliases())));
            Json.writeAtomically(root.resolve(ALIASES), updated);
            return Map.copyOf(updated);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + root.resolve(ALIASES), e);
        }
    }

    /** Leftovers of writes that a crash interrupted; they never became versions. */
    public void removeAbandonedStaging() {
        try (Stream<Path> children = Files.list(root)) {
            Json.removeInterruptedWrites(root);
            for (Path child : children.toList()) {
                String name = child.getFileName().toString();
                if (name.startsWith(".staging-") || name.startsWith(".deleted-")) {
                    ModelArchive.deleteRecursively(child);
                }
            }
        } catch (IOException e) {
            log.warn("cannot clean {}: {}", root, e.getMessage());
        }
    }

    private int highestVersion() {
        return versionFolders().stream().mapToInt(p -> Integer.parseInt(p.getFileName().toString())).max().orElse(0);
    }

    private List<Path> versionFolders() {
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(Files::isDirectory)
                    .filter(p -> isVersionName(p.getFileName().toString()))
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private static boolean isVersionName(String name) {
        return name != null && name.matches("[1-9][0-9]{0,8}");
    }
}
