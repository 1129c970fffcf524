package dev.digits.storage.postgres;

import dev.digits.data.IdxReader;
import dev.digits.data.IdxWriter;
import dev.digits.data.LabelledImages;
import dev.digits.datasets.DatasetInfo;
import dev.digits.datasets.DatasetRepository;
import dev.digits.datasets.InvalidDatasetException;
import dev.digits.datasets.UnknownDatasetException;
import dev.digits.model.InputContract;
import dev.digits.model.Json;
import dev.digits.storage.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Datasets in PostgreSQL ({@code datasets}: the description, and the SHA-256 of the gzipped IDX
 * images and labels, which are in the {@link BlobStore}). The blobs are uploaded before the row is
 * inserted, so a dataset is listed only once it is complete.
 *
 * <p>Feedback is {@code feedback_batches}: one row per {@link #addFeedback} call, holding all its
 * samples, so that a call is stored completely or not at all, and never rewrites earlier ones.
 */
public final class PostgresDatasets implements DatasetRepository {

    private final PostgresDatabase database;
    private final BlobStore blobs;

    public PostgresDatasets(PostgresDatabase database, BlobStore blobs) {
        this.database = database;
        this.blobs = blobs;
    }

    private record Row(DatasetInfo info, String images, String labels) {
    }

    @Override
    public DatasetInfo save(DatasetInfo info, LabelledImages images) {
        if (!DatasetInfo.isId(info.id())) {
            throw new IllegalArgumentException("not a dataset id: " + info.id());
        }
        String imagesSha256 = blobs.put(IdxWriter.gzipImages(images));
        String labelsSha256 = blobs.put(IdxWriter.gzipLabels(images));
        database.write(() -> database.jdbc().update(
                "INSERT INTO datasets (id, info, images_sha256, labels_sha256, created_at) VALUES (?, ?::jsonb, ?, ?, ?)",
                info.id(), Json.MAPPER.writeValueAsString(info), imagesSha256, labelsSha256,
                info.createdAt().atOffset(ZoneOffset.UTC)));
        return info;
    }

    @Override
    public boolean exists(String id) {
        return FEEDBACK.equals(id) || (DatasetInfo.isId(id) && database.read(() -> database.jdbc().queryForObject(
                "SELECT count(*) FROM datasets WHERE id = ?", Integer.class, id)) > 0);
    }

    @Override
    public List<DatasetInfo> list() {
        List<DatasetInfo> infos = new ArrayList<>();
        infos.add(info(FEEDBACK));
        infos.addAll(database.read(() -> database.jdbc().query(
                "SELECT info::text FROM datasets ORDER BY created_at, id",
                (rs, i) -> Json.MAPPER.readValue(rs.getString(1), DatasetInfo.class))));
        return infos;
    }

    @Override
    public DatasetInfo info(String id) {
        if (FEEDBACK.equals(id)) {
            return DatasetRepository.feedbackInfo(load(FEEDBACK));
        }
        return row(id).orElseThrow(() -> new UnknownDatasetException(id)).info();
    }

    private Optional<Row> row(String id) {
        if (!DatasetInfo.isId(id)) {
            return Optional.empty();
        }
        return database.read(() -> database.jdbc().query(
                "SELECT info::text, images_sha256, labels_sha256 FROM datasets WHERE id = ?",
                (rs, i) -> new Row(Json.MAPPER.readValue(rs.getString(1), DatasetInfo.class), rs.getString(2),
                        rs.getString(3)), id)).stream().findFirst();
    }

    /** Downloads the dataset's images and labels; the blob store checks their SHA-256. */
    @Override
    public LabelledImages load(String id) {
        if (FEEDBACK.equals(id)) {
            return loadFeedback();
        }
        Row row = row(id).orElseThrow(() -> new UnknownDatasetException(id));
        byte[] images = blobs.get(row.images());
        byte[] labels = blobs.get(row.labels());
        return LabelledImages.of(IdxReader.read("images of " + id, new ByteArrayInputStream(images)),
                IdxReader.read("labels of " + id, new ByteArrayInputStream(labels)), id);
    }

    /** The row goes; the blobs stay, since they are immutable and may be shared. */
    @Override
    public void delete(String id) {
        if (FEEDBACK.equals(id)) {
            throw new InvalidDatasetException("the feedback dataset cannot be deleted");
        }
        if (!DatasetInfo.isId(id) || database.write(() -> database.jdbc().update(
                "DELETE FROM datasets WHERE id = ?", id)) == 0) {
            throw new UnknownDatasetException(id);
        }
    }

    /** One row for all the samples: stored completely or not at all. */
    @Override
    public int addFeedback(LabelledImages samples) {
        if (samples.size() > 0) {
            database.write(() -> database.jdbc().update(
                    "INSERT INTO feedback_batches (samples, labels, pixels) VALUES (?, ?, ?)",
                    samples.size(), samples.labels(), samples.pixels()));
        }
        return database.read(() -> database.jdbc().queryForObject(
                "SELECT coalesce(sum(samples), 0) FROM feedback_batches", Integer.class));
    }

    /** Every batch, in the order they were stored. */
    private LabelledImages loadFeedback() {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        database.read(() -> {
            pixels.reset();
            labels.reset();
            database.jdbc().query("SELECT labels, pixels FROM feedback_batches ORDER BY seq", rs -> {
                labels.writeBytes(rs.getBytes(1));
                pixels.writeBytes(rs.getBytes(2));
            });
            return null;
        });
        if (pixels.size() != labels.size() * InputContract.PIXELS) {
            throw new IllegalStateException("the stored feedback is inconsistent");
        }
        return new LabelledImages(pixels.toByteArray(), labels.toByteArray());
    }
}
