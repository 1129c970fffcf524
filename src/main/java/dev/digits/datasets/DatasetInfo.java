package dev.digits.datasets;

import dev.digits.data.LabelledImages;
import java.util.UUID;
import java.time.Instant;
import java.util.List;

/**
 * An uploaded dataset's {@code dataset.json}.
 *
 * @param countsPerClass images per digit 0–9
 * @param rejected entries of the upload that were not used, with the reason
 */
public record DatasetInfo(String id, String name, String format, Instant createdAt, int size, int[] countsPerClass,
                          List<RejectedEntry> rejected) {

    public record RejectedEntry(String entry, String reason) {
    }

    /** The description of a new dataset of {@code images}, with a fresh id. */
    public static DatasetInfo describe(String name, String format, LabelledImages images, List<RejectedEntry> rejected) {
        return new DatasetInfo("ds-" + UUID.randomUUID().toString().substring(0, 8), name, format, Instant.now(),
                images.size(), images.countsPerClass(), List.copyOf(rejected));
    }

    /** Whether {@code id} has the form of an uploaded dataset's id. */
    public static boolean isId(String id) {
        return id != null && id.matches("ds-[0-9a-f]{8}");
    }
}
