package dev.digits.datasets;

import dev.digits.data.IdxData;
import dev.digits.data.IdxFormatException;
import dev.digits.data.IdxReader;
import dev.digits.data.LabelledImages;
import dev.digits.inference.ClientImages;
import dev.digits.model.InputContract;
import dev.digits.web.PayloadTooLargeException;
import dev.digits.web.RequestBodies;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.springframework.stereotype.Component;

/**
 * Turns uploads into datasets: a ZIP with folders {@code 0}–{@code 9} of images, or an IDX image
 * and label pair. Every image goes through {@code /predict}'s preprocessing. Entry names are only
 * parsed for their digit folder, never used as paths; a name that tries to climb out
 * ({@code ..}, absolute, drive letters) fails the whole upload, and sizes are counted as bytes
 * are read rather than trusted from headers.
 */
@Component
class DatasetImporter {

    private static final Pattern ENTRY = Pattern.compile("(?:[^/]+/)?([0-9])/[^/]+");

    private final ClientImages images;
    private final DatasetRepository store;
    private final DatasetProperties properties;

    DatasetImporter(ClientImages images, DatasetRepository store, DatasetProperties properties) {
        this.images = images;
        this.store = store;
        this.properties = properties;
    }

    DatasetInfo fromZip(String name, byte[] archive) {
        List<float[]> units = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<DatasetInfo.RejectedEntry> rejected = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long unpacked = 0;
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String path = entry.getName();
                if (++entries > properties.maxEntries()) {
                    throw new PayloadTooLargeException("the archive has more than " + properties.maxEntries() + " entries");
                }
                checkPath(path);
                ByteArrayOutputStream entryBytes = new ByteArrayOutputStream();
                unpacked += RequestBodies.copyLimited(zip, entryBytes, Math.min(properties.maxEntrySize().toBytes(),
                        properties.maxUnpackedSize().toBytes() - unpacked),
                        "entry '" + path + "' unpacks to more than the allowed size");
                byte[] content = entryBytes.toByteArray();
                if (entry.isDirectory()) {
                    continue;
                }
                if (!seen.add(path)) {
                    // Two entries of one name are read differently by different unzip tools: refuse, don't guess.
                    throw new InvalidDatasetException("duplicate entry '" + path + "' in the archive");
                }
                Matcher match = ENTRY.matcher(path);
                if (!match.matches()) {
                    rejected.add(new DatasetInfo.RejectedEntry(path, "not inside a folder named 0-9"));
                    continue;
                }
                try {
                    units.add(images.fromImage(content));
                    labels.add(Integer.parseInt(match.group(1)));
                } catch (RuntimeException e) {
                    rejected.add(new DatasetInfo.RejectedEntry(path, "not a usable image: " + e.getMessage()));
                }
            }
        } catch (ZipException e) {
            throw new InvalidDatasetException("not a valid ZIP archive: " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidDatasetException("cannot read the archive: " + e.getMessage());
        }
        return save(name, "zip", units, labels, rejected);
    }

    DatasetInfo fromIdx(String name, byte[] imageFile, byte[] labelFile) {
        IdxData imageData;
        IdxData labelData;
        try {
            long maxValues = properties.maxUnpackedSize().toBytes();
            imageData = IdxReader.read("images", new ByteArrayInputStream(imageFile), maxValues);
            labelData = IdxReader.read("labels", new ByteArrayInputStream(labelFile), maxValues);
        } catch (IdxFormatException e) {
            throw new InvalidDatasetException(e.getMessage());
        }
        int[] dims = imageData.dimensions();
        if (dims.length != 3 || labelData.dimensions().length != 1 || dims[0] != labelData.count()) {
            throw new InvalidDatasetException("expected images [n, height, width] and labels [n], got " + imageData
                    + " and " + labelData);
        }
        if (dims[0] > properties.maxEntries()) {
            throw new PayloadTooLargeException(dims[0] + " images exceed the limit of " + properties.maxEntries());
        }
        images.checkPixels(dims[2], dims[1]);
        List<float[]> units = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<DatasetInfo.RejectedEntry> rejected = new ArrayList<>();
        for (int i = 0; i < dims[0]; i++) {
            int label = labelData.values()[i];
            if (label < 0 || label > 9) {
                rejected.add(new DatasetInfo.RejectedEntry("image " + i, "label " + label + " is not a digit"));
                continue;
            }
            units.add(images.fromDecoded(gray(imageData.values(), i, dims[1], dims[2])));
            labels.add(label);
        }
        return save(name, "idx", units, labels, rejected);
    }

    private DatasetInfo save(String name, String format, List<float[]> units, List<Integer> labels,
                             List<DatasetInfo.RejectedEntry> rejected) {
        if (units.isEmpty()) {
            throw new InvalidDatasetException("no usable labelled images in the upload" + (rejected.isEmpty() ? ""
                    : "; first problem: " + rejected.get(0).entry() + ": " + rejected.get(0).reason()));
        }
        byte[] pixels = new byte[units.size() * InputContract.PIXELS];
        byte[] labelBytes = new byte[units.size()];
        for (int i = 0; i < units.size(); i++) {
            LabelledImages.putUnit(units.get(i), pixels, i * InputContract.PIXELS);
            labelBytes[i] = (byte) (int) labels.get(i);
        }
        LabelledImages images = new LabelledImages(pixels, labelBytes);
        return store.save(DatasetInfo.describe(name, format, images, rejected), images);
    }

    /** Names that would escape a folder if anyone used them as paths; refusing them is cheaper than trusting. */
    static void checkPath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.startsWith("\\") || path.contains("\\")
                || path.matches("^[A-Za-z]:.*") || List.of(path.split("/")).contains("..") || path.indexOf('\0') >= 0) {
            throw new InvalidDatasetException("unsafe entry path '" + path + "' in the archive");
        }
    }

    private static BufferedImage gray(byte[] values, int index, int height, int width) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, width, height,
                Arrays.copyOfRange(values, index * width * height, (index + 1) * width * height));
        return image;
    }
}
