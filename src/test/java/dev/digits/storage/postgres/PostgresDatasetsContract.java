package dev.digits.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.digits.data.LabelledImages;
import dev.digits.datasets.DatasetInfo;
import dev.digits.datasets.DatasetRepository;
import dev.digits.datasets.InvalidDatasetException;
import dev.digits.datasets.UnknownDatasetException;
import dev.digits.model.InputContract;
import dev.digits.storage.StorageUnavailableException;
import dev.digits.support.PostgresTarget;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PostgresDatasets} on a real PostgreSQL, seen from two replicas. */
abstract class PostgresDatasetsContract {

    protected abstract PostgresTarget target();

    private PostgresStore store;
    private PostgresDatasets datasets;
    private PostgresDatasets other;

    @BeforeEach
    void createStore() {
        store = PostgresStore.create(target());
        datasets = new PostgresDatasets(store.database(), store.blobs);
        other = new PostgresDatasets(store.database(), store.blobs);
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
    }

    static LabelledImages images(int count, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * InputContract.PIXELS];
        random.nextBytes(pixels);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) random.nextInt(11);
        }
        return new LabelledImages(pixels, labels);
    }

    private static DatasetInfo info(String id, LabelledImages images, Instant createdAt) {
        return new DatasetInfo(id, "digits " + id, "idx", createdAt, images.size(), images.countsPerClass(),
                List.of(new DatasetInfo.RejectedEntry("notes.txt", "not an image")));
    }

    @Test
    void aSavedDatasetIsListedDescribedLoadedAndDeletedOnEveryReplica() {
        LabelledImages older = images(50, 1);
        LabelledImages newer = images(1200, 2);
        datasets.save(info("ds-0000000b", newer, Instant.parse("2026-02-01T00:00:00Z")), newer);
        datasets.save(info("ds-0000000a", older, Instant.parse("2026-01-01T00:00:00Z")), older);

        assertThat(other.exists("ds-0000000a")).isTrue();
        assertThat(other.exists("ds-0000000c")).isFalse();
        assertThat(other.exists("not-an-id")).isFalse();
        assertThat(other.exists(DatasetRepository.FEEDBACK)).isTrue();
        assertThat(other.list()).extracting(DatasetInfo::id)
                .containsExactly(DatasetRepository.FEEDBACK, "ds-0000000a", "ds-0000000b");
        DatasetInfo described = other.info("ds-0000000b");
        assertThat(described).usingRecursiveComparison()
                .isEqualTo(info("ds-0000000b", newer, Instant.parse("2026-02-01T00:00:00Z")));

        LabelledImages loaded = other.load("ds-0000000b");
        assertThat(loaded.pixels()).isEqualTo(newer.pixels());
        assertThat(loaded.labels()).isEqualTo(newer.labels());

        datasets.delete("ds-0000000b");
        assertThat(other.exists("ds-0000000b")).isFalse();
        assertThatThrownBy(() -> other.load("ds-0000000b")).isInstanceOf(UnknownDatasetException.class);
        assertThatThrownBy(() -> other.info("ds-0000000b")).isInstanceOf(UnknownDatasetException.class);
        assertThatThrownBy(() -> other.delete("ds-0000000b")).isInstanceOf(UnknownDatasetException.class);
        assertThatThrownBy(() -> other.delete(DatasetRepository.FEEDBACK)).isInstanceOf(InvalidDatasetException.class);
        assertThat(other.list()).extracting(DatasetInfo::id).containsExactly(DatasetRepository.FEEDBACK, "ds-0000000a");
    }

    @Test
    void aDatasetWhoseImagesCannotBeStoredDoesNotExist() {
        LabelledImages images = images(10, 3);
        store.blobs.unavailable(true);
        assertThatThrownBy(() -> datasets.save(info("ds-0000000a", images, Instant.now()), images))
                .isInstanceOf(StorageUnavailableException.class);
        store.blobs.unavailable(false);
        assertThat(other.exists("ds-0000000a")).isFalse();
        assertThat(other.list()).extracting(DatasetInfo::id).containsExactly(DatasetRepository.FEEDBACK);
    }

    @Test
    void feedbackIsKeptBatchByBatchInTheOrderItCame() {
        assertThat(other.load(DatasetRepository.FEEDBACK).size()).isZero();
        LabelledImages first = images(3, 4);
        LabelledImages second = images(2, 5);
        assertThat(datasets.addFeedback(first)).isEqualTo(3);
        assertThat(other.addFeedback(second)).isEqualTo(5);
        float[] unit = new float[InputContract.PIXELS];
        unit[100] = 1;
        assertThat(datasets.addFeedback(unit, 7)).isEqualTo(6);
        assertThat(datasets.addFeedback(new LabelledImages(new byte[0], new byte[0]))).isEqualTo(6);

        LabelledImages all = other.load(DatasetRepository.FEEDBACK);
        LabelledImages expected = first.concat(second);
        assertThat(all.size()).isEqualTo(6);
        assertThat(all.first(5).pixels()).isEqualTo(expected.pixels());
        assertThat(all.first(5).labels()).isEqualTo(expected.labels());
        assertThat(all.label(5)).isEqualTo(7);
        assertThat(all.pixels()[5 * InputContract.PIXELS + 100]).isEqualTo((byte) 255);

        DatasetInfo info = other.info(DatasetRepository.FEEDBACK);
        assertThat(info.size()).isEqualTo(6);
        assertThat(info.countsPerClass()).isEqualTo(all.countsPerClass());
    }
}
