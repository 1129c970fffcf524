package dev.digits.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import dev.digits.storage.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The on-disk model format: a folder with DJL's {@code model-0000.params} and {@code model.json}.
 * A folder is staged under a temporary name and renamed into place, so a reader never sees a
 * folder without both files.
 */
public final class ModelArchive {

    public static final String NAME = "model";
    public static final String PARAMETERS = NAME + "-0000.params";
    public static final String METADATA = "model.json";

    private ModelArchive() {
    }

    /**
     * Saves {@code model}'s parameters and {@code metadata} (whose checksum is filled in here) as
     * the folder {@code target}, which must not exist yet.
     */
    public static ModelMetadata save(Model model, ModelMetadata metadata, Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".staging");
        try {
            model.setProperty("Epoch", "0");
            model.save(staging, NAME);
            ModelMetadata complete = metadata.withSha256(sha256(staging.resolve(PARAMETERS)));
            Json.writeAtomically(staging.resolve(METADATA), complete);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return complete;
        } finally {
            AtomicFiles.deleteQuietly(staging);
        }
    }

    public static ModelMetadata readMetadata(Path folder) throws IOException {
        ModelMetadata metadata = Json.read(folder.resolve(METADATA), ModelMetadata.class);
        if (metadata.architecture() == null || metadata.sha256() == null) {
            throw new ModelFormatException("model.json lacks the architecture or the checksum");
        }
        return metadata;
    }

    /**
     * Checks, without loading anything, that the folder's parameter file is the one the metadata
     * describes (its SHA-256) and that it has exactly the layout of the metadata's architecture, so
     * that DJL never reads a length or shape that the file does not back.
     */
    public static void verify(Path folder, ModelMetadata metadata) throws IOException {
        Path parameters = folder.resolve(PARAMETERS);
        if (!Files.isRegularFile(parameters)) {
            throw new ModelFormatException(PARAMETERS + " is missing");
        }
        String actual = sha256(parameters);
        if (!actual.equalsIgnoreCase(metadata.sha256())) {
            throw new ModelFormatException("the parameters have SHA-256 " + actual + " but model.json says "
                    + metadata.sha256());
        }
        ParameterLayout.of(metadata.architecture()).check(parameters);
    }

    /**
     * Loads the folder's network onto {@code device} after {@link #verify verifying} it. The caller
     * owns (and closes) the returned model.
     */
    public static Model load(Path folder, ModelMetadata metadata, Device device) throws IOException {
        Architectures.create(metadata.architecture()); // an unknown architecture fails here, before any reading
        verify(folder, metadata);
        Model model = Model.newInstance(NAME, device, "PyTorch");
        try {
            model.setBlock(Architectures.create(metadata.architecture()));
            model.load(folder, NAME, Map.of("epoch", "0"));
            if (!model.getBlock().isInitialized()) {
                throw new ModelFormatException("the parameter file does not hold every parameter of the network");
            }
            return model;
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new ModelFormatException("the parameters do not fit architecture '" + metadata.architecture()
                    + "': " + e.getMessage(), e);
        }
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
