package dev.digits.datasets;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on uploaded datasets, enforced while reading so that a ZIP bomb stops at the limit.
 *
 * @param maxUploadSize the upload as sent
 * @param maxUnpackedSize all entries of an archive, uncompressed, counted as they are read
 * @param maxEntrySize one entry of an archive, uncompressed
 * @param maxEntries entries of an archive, or images of an IDX pair
 */
@ConfigurationProperties("digits.datasets")
public record DatasetProperties(@DefaultValue("100MB") DataSize maxUploadSize,
                                @DefaultValue("500MB") DataSize maxUnpackedSize,
                                @DefaultValue("10MB") DataSize maxEntrySize,
                                @DefaultValue("100000") int maxEntries) {
}
