package dev.digits.storage.filesystem;

import dev.digits.data.IdxReader;
import dev.digits.data.IdxWriter;
import dev.digits.data.LabelledImages;
import dev.digits.datasets.DatasetInfo;
import dev.digits.datasets.DatasetRepository;
import dev.digits.datasets.InvalidDatasetException;
import dev.digits.datasets.UnknownDatasetException;
import dev.digits.model.InputContract;
import dev.digits.model.Json;
import dev.digits.storage.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Datasets on disk: {@code <root>/<id>/} with gzipped IDX image and label files and
 * {@code dataset.json}, staged and renamed into place. Feedback is a folder of sample files under
 * {@code <root>/feedback/samples/}, each holding the images of one request, so that adding some
 * never rewrites the others.
 */
public final class FilesystemDatasets implements DatasetRepository {

    private static final String IMAGES = "images-idx3-ubyte.gz";
    private static final String LABELS = "labels-idx1-ubyte.gz";
    private static final String INFO = "dataset.json";
    /** A sample is a label byte and 784 pixel bytes; a file holds one or more. */
    private static final int SAMPLE = InputContract.PIXELS + 1;

    private final Path root;
    private final Path samples;

    public FilesystemDatasets(Path root) {
        this.root = root;
        this.samples = root.resolve(FEEDBACK).resolve("samples");
        try {
            Files.createDirectories(samples);
            AtomicFiles.removeLeftovers(root);
            AtomicFiles.removeLeftovers(samples);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the dataset store", e);
        }
    }

    @Override
    public DatasetInfo save(DatasetInfo info, LabelledImages images) {
        Path staging = AtomicFiles.stagingFolder(root);
        try {
            Files.createDirectories(staging);
            // Forced to disk like the description, so that a dataset that was accepted is complete after a power cut.
            AtomicFiles.write(staging.resolve(IMAGES), IdxWriter.gzipImages(images));
            AtomicFiles.write(staging.resolve(LABELS), IdxWriter.gzipLabels(images));
            Json.writeAtomically(staging.resolve(INFO), info);
            AtomicFiles.moveIntoPlace(staging, root.resolve(info.id()));
            return info;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store dataset " + info.id(), e);
        } finally {
            AtomicFiles.deleteQuietly(staging);
        }
    }

    @Override
    public boolean exists(String id) {
        return FEEDBACK.equals(id) || (DatasetInfo.isId(id) && Files.exists(root.resolve(id).resolve(INFO)));
    }

    @Override
    public List<DatasetInfo> list() {
        List<DatasetInfo> infos = new ArrayList<>();
        infos.add(info(FEEDBACK));
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : children.filter(p -> DatasetInfo.isId(p.getFileName().toString())).toList()) {
                if (Files.exists(child.resolve(INFO))) {
                    infos.add(Json.read(child.resolve(INFO), DatasetInfo.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the datasets", e);
        }
        infos.sort(Comparator.comparing(DatasetInfo::createdAt));
        return infos;
    }

    @Override
    public DatasetInfo info(String id) {
        if (FEEDBACK.equals(id)) {
            return DatasetRepository.feedbackInfo(load(FEEDBACK));
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

    @Override
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

    @Override
    public void delete(String id) {
        if (FEEDBACK.equals(id)) {
            throw new InvalidDatasetException("the feedback dataset cannot be deleted");
        }
        if (!exists(id)) {
            throw new UnknownDatasetException(id);
        }
        try {
            AtomicFiles.delete(root.resolve(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One file for all the samples, so that a crash stores all of them or none. */
    @Override
    public int addFeedback(LabelledImages added) {
        byte[] file = new byte[added.size() * SAMPLE];
        for (int i = 0; i < added.size(); i++) {
            file[i * SAMPLE] = added.labels()[i];
            System.arraycopy(added.pixels(), i * InputContract.PIXELS, file, i * SAMPLE + 1, InputContract.PIXELS);
        }
        String name = String.format("%013d-%s", System.currentTimeMillis(), UUID.randomUUID());
        try {
            AtomicFiles.write(samples.resolve(name + ".sample"), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store feedback", e);
        }
        return feedbackSize();
    }

    /** Counted from the files' sizes: reading every sample only to count them grows with the feedback. */
    private int feedbackSize() {
        long bytes = 0;
        try (Stream<Path> files = Files.list(samples)) {
            for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".sample")).toList()) {
                bytes += Files.size(file) / SAMPLE * SAMPLE;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot count feedback", e);
        }
        return Math.toIntExact(bytes / SAMPLE);
    }

    private LabelledImages loadFeedback() {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        try (Stream<Path> files = Files.list(samples)) {
            for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".sample")).sorted().toList()) {
                byte[] content = Files.readAllBytes(file);
                for (int offset = 0; offset + SAMPLE <= content.length; offset += SAMPLE) {
                    labels.write(content[offset]);
                    pixels.write(content, offset + 1, InputContract.PIXELS);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read feedback", e);
        }
        return new LabelledImages(pixels.toByteArray(), labels.toByteArray());
    }
}
