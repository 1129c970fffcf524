package dev.digits.datasets;

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
}
