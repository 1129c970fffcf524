package dev.digits.registry;

import dev.digits.model.ModelArchive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The model trained by this project and shipped in the jar under {@code /bundled-model/}. */
final class BundledModel {

    static final String LOCATION = "/bundled-model/";

    private BundledModel() {
    }

    /** Copies the bundled model's files into {@code folder}, which is created. */
    static void copyTo(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (String name : new String[] {ModelArchive.PARAMETERS, ModelArchive.METADATA}) {
            try (InputStream in = BundledModel.class.getResourceAsStream(LOCATION + name)) {
                if (in == null) {
                    throw new NoSuchFileException("classpath:" + LOCATION + name);
                }
                Files.copy(in, folder.resolve(name));
            }
        }
    }
}
