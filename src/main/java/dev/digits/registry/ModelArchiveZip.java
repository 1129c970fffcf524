package dev.digits.registry;

import dev.digits.model.ModelArchive;
import dev.digits.web.RequestBodies;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A model version as one ZIP file: {@code model-0000.params} and {@code model.json}, nothing else.
 * What {@code GET /models/{v}/download} writes, {@code POST /models} reads back.
 */
final class ModelArchiveZip {

    private static final Set<String> NAMES = Set.of(ModelArchive.PARAMETERS, ModelArchive.METADATA);

    private ModelArchiveZip() {
    }

    static void write(Path folder, OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : new String[] {ModelArchive.METADATA, ModelArchive.PARAMETERS}) {
                zip.putNextEntry(new ZipEntry(name));
                Files.copy(folder.resolve(name), zip);
                zip.closeEntry();
            }
        }
    }

    /**
     * Unpacks an uploaded archive into {@code target} (created). Entry names are only compared with
     * the two expected names, never used as paths, so no entry can escape the folder; the unpacked
     * size is counted as it is read, so a ZIP bomb stops at the limit.
     */
    static void unpack(byte[] archive, Path target, long maxBytes) throws IOException {
        Files.createDirectories(target);
        Set<String> seen = new HashSet<>();
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                if (entry.isDirectory() || !NAMES.contains(name)) {
                    throw new InvalidModelArchiveException("unexpected entry '" + name + "'; a model archive holds only "
                            + String.join(" and ", NAMES));
                }
                if (!seen.add(name)) {
                    throw new InvalidModelArchiveException("duplicate entry '" + name + "'");
                }
                try (OutputStream out = Files.newOutputStream(target.resolve(name))) {
                    total += RequestBodies.copyLimited(zip, out, maxBytes - total,
                            "the model archive unpacks to more than the import limit");
                }
            }
        } catch (ZipException | EOFException e) {
            // A cut-off upload ends inside a compressed entry: the inflater reports it as an early end of input.
            throw new InvalidModelArchiveException("not a valid ZIP archive: " + e.getMessage());
        }
        if (!seen.equals(NAMES)) {
            throw new InvalidModelArchiveException("a model archive must hold " + String.join(" and ", NAMES));
        }
    }
}
