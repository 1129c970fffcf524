package dev.digits.storage.filesystem;

import dev.digits.model.Json;
import dev.digits.registry.DamagedModelException;
import dev.digits.registry.ModelRepository;
import dev.digits.registry.OpenedModel;
import dev.digits.registry.StagedModel;
import dev.digits.registry.UnknownModelException;
import dev.digits.storage.AtomicFiles;
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
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
public final class FilesystemModels implements ModelRepository {

    private static final Logger log = LoggerFactory.getLogger(FilesystemModels.class);
    private static final String ALIASES = "aliases.json";
    private static final String LOCK = ".lock";

    private final Path root;

    public FilesystemModels(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the model store " + root, e);
        }
    }

    @Override
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

    @Override
    public Optional<String> verify(String version) {
        try {
            Path folder = folder(version);
            ModelArchive.verify(folder, ModelArchive.readMetadata(folder));
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of(describe(e));
        }
    }

    @Override
    public List<String> versionNumbers() {
        return versionFolders().stream().map(p -> p.getFileName().toString()).toList();
    }

    /** Files are named by their name in the version folder, never by their path. */
    @Override
    public String describe(Throwable e) {
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

    @Override
    public boolean exists(String version) {
        return isVersionName(version) && Files.isDirectory(folder(version));
    }

    private Path folder(String version) {
        if (!isVersionName(version)) {
            throw new UnknownModelException(version);
        }
        return root.resolve(version);
    }

    @Override
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

    /** Inside the store, so that registering is a rename on one filesystem. */
    @Override
    public StagedModel stage() {
        return new StagedModel(AtomicFiles.stagingFolder(root));
    }

    @Override
    public OpenedModel open(String version) {
        return new OpenedModel(metadata(version), folder(version));
    }

    /**
     * The version number is claimed by renaming the staged folder, which fails if another replica
     * got there first; then the next number is tried.
     */
    @Override
    public synchronized String register(StagedModel staged) {
        Path folder = staged.folder();
        try {
            ModelMetadata metadata = ModelArchive.readMetadata(folder);
            Optional<String> earlier = registeredFromSameJob(metadata);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            while (true) {
                String version = String.valueOf(highestVersion() + 1);
                Json.writeAtomically(folder.resolve(ModelArchive.METADATA), metadata.withVersion(version));
                try {
                    AtomicFiles.moveIntoPlace(folder, root.resolve(version));
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
            throw new UncheckedIOException("cannot register a model: " + describe(e), e);
        }
    }

    private Optional<String> registeredFromSameJob(ModelMetadata staged) {
        Object job = staged.lineage() == null ? null : staged.lineage().get("jobId");
        if (job == null) {
            return Optional.empty();
        }
        return scan().versions().stream().filter(m -> m.lineage() != null && job.equals(m.lineage().get("jobId")))
                .map(ModelMetadata::version).findFirst();
    }

    @Override
    public void delete(String version) {
        try {
            AtomicFiles.delete(folder(version));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete version " + version, e);
        }
    }

    @Override
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

    /** Under a file lock that every replica sharing the store honours. */
    @Override
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

    @Override
    public void removeAbandonedStaging() {
        try {
            AtomicFiles.removeLeftovers(root);
        } catch (IOException e) {
            log.warn("cannot clean the model store: {}", e.getMessage());
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
