package dev.digits.datasets;

import dev.digits.DigitsProperties;
import dev.digits.data.IdxReader;
import dev.digits.data.LabelledImages;
import dev.digits.model.InputContract;
import dev.digits.model.Json;
import dev.digits.model.ModelArchive;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Datasets on disk, already preprocessed to 28×28: {@code <root>/<id>/} with IDX image and label
 * files and {@code dataset.json}; a dataset folder appears complete or not at all. Feedback
 * samples are single files under {@code <root>/feedback/samples/}, so that adding one never
 * rewrites the others.
 */
@Component
public class DatasetStore {

    public static final String FEEDBACK = "feedback";

    private static final String IMAGES = "images-idx3-ubyte.gz";
    private static final String LABELS = "labels-idx1-ubyte.gz";
    private static final String INFO = "dataset.json";

    private final Path root;

    @Autowired
    public DatasetStore(DigitsProperties properties) {
        this(properties.home().resolve("datasets"));
    }

    DatasetStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve(FEEDBACK).resolve("samples"));
            removeLeftovers();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the dataset store " + root, e);
        }
    }

    /** Uploads and deletions that a crash interrupted: never datasets, so they can go. */
    private void removeLeftovers() throws IOException {
        Json.removeInterruptedWrites(root.resolve(FEEDBACK).resolve("samples"));
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : children.toList()) {
                String name = child.getFileName().toString();
                if (name.startsWith(".staging-") || name.startsWith(".deleted-")) {
                    deleteQuietly(child);
                }
            }
        }
    }

    /** Stores preprocessed images as a new dataset and returns its description. */
    DatasetInfo save(String name, String format, LabelledImages images, List<DatasetInfo.RejectedEntry> rejected) {
        String id = "ds-" + UUID.randomUUID().toString().substring(0, 8);
        DatasetInfo info = new DatasetInfo(id, name, format, Instant.now(), images.size(),
                images.countsPerClass(), List.copyOf(rejected));
        Path staging = root.resolve(".staging-" + id);
        try {
            Files.createDirectories(staging);
            // Forced to disk like the description, so that a dataset that was accepted is complete after a power cut.
            Json.writeAtomically(staging.resolve(IMAGES), gzip(idx(new int[] {images.size(), 28, 28}, images.pixels())));
            Json.writeAtomically(staging.resolve(LABELS), gzip(idx(new int[] {images.size()}, images.labels())));
            Json.writeAtomically(staging.resolve(INFO), info);
            Files.move(staging, root.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            return info;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store dataset " + id, e);
        } finally {
            deleteQuietly(staging);
        }
    }

    public boolean exists(String id) {
        return FEEDBACK.equals(id) || (isId(id) && Files.exists(root.resolve(id).resolve(INFO)));
    }

    public List<DatasetInfo> list() {
        List<DatasetInfo> infos = new ArrayList<>();
        infos.add(info(FEEDBACK));
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : children.filter(p -> isId(p.getFileName().toString())).toList()) {
                if (Files.exists(child.resolve(INFO))) {
                    infos.add(Json.read(child.resolve(INFO), DatasetInfo.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        infos.sort(Comparator.comparing(DatasetInfo::createdAt));
        return infos;
    }

    public DatasetInfo info(String id) {
        if (FEEDBACK.equals(id)) {
            LabelledImages feedback = load(FEEDBACK);
            return new DatasetInfo(FEEDBACK, "corrections sent to POST /feedback", "feedback", Instant.EPOCH,
                    feedback.size(), feedback.countsPerClass(), List.of());
        }
        if (!exists(id)) {
            throw new UnknownDatasetException(id);
        }
        try {
            return Json.read(root.resolve(id).resolve(INFO), DatasetInfo.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The dataset's images and labels; for {@code feedback}, every sample so far. */
    public LabelledImages load(String id) {
        if (FEEDBACK.equals(id)) {
            return loadFeedback();
        }
        if (!exists(id)) {
            throw new UnknownDatasetException(id);
        }
        Path folder = root.resolve(id);
        return LabelledImages.of(IdxReader.read(folder.resolve(IMAGES)), IdxReader.read(folder.resolve(LABELS)), id);
    }

    public void delete(String id) {
        if (FEEDBACK.equals(id)) {
            throw new InvalidDatasetException("the feedback dataset cannot be deleted");
        }
        if (!exists(id)) {
            throw new UnknownDatasetException(id);
        }
        Path trash = root.resolve(".deleted-" + id);
        try {
            Files.move(root.resolve(id), trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        deleteQuietly(trash);
    }

    /** Adds one corrected image (784 values in [0, 1]) to the feedback dataset; returns its size. */
    public int addFeedback(float[] unit, int label) {
        byte[] sample = new byte[InputContract.PIXELS + 1];
        sample[0] = (byte) label;
        LabelledImages.putUnit(unit, sample, 1);
        Path samples = root.resolve(FEEDBACK).resolve("samples");
        String name = String.format("%013d-%s", System.currentTimeMillis(), UUID.randomUUID());
        try {
            Json.writeAtomically(samples.resolve(name + ".sample"), sample);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store feedback", e);
        }
        return sampleFiles().size();
    }

    private LabelledImages loadFeedback() {
        List<Path> files = sampleFiles();
        byte[] pixels = new byte[files.size() * InputContract.PIXELS];
        byte[] labels = new byte[files.size()];
        try {
            for (int i = 0; i < files.size(); i++) {
                byte[] sample = Files.readAllBytes(files.get(i));
                labels[i] = sample[0];
                System.arraycopy(sample, 1, pixels, i * InputContract.PIXELS, InputContract.PIXELS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read feedback", e);
        }
        return new LabelledImages(pixels, labels);
    }

    private List<Path> sampleFiles() {
        try (Stream<Path> files = Files.list(root.resolve(FEEDBACK).resolve("samples"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".sample")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isId(String id) {
        return id != null && id.matches("ds-[0-9a-f]{8}");
    }

    private static byte[] idx(int[] dimensions, byte[] values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(values.length + 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(new byte[] {0, 0, 8, (byte) dimensions.length});
            for (int d : dimensions) {
                out.writeInt(d);
            }
            out.write(values);
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }

    private static void deleteQuietly(Path folder) {
        try {
            ModelArchive.deleteRecursively(folder);
        } catch (IOException ignored) {
            // a leftover staging folder is never read as a dataset
        }
    }
}
