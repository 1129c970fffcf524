package dev.digits.model;

import java.io.IOException;
import java.io.InputStream;
import dev.digits.storage.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The JSON mapper for files on disk, and reading and writing them. */
public final class Json {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    /** Writes {@code value} as JSON with {@link AtomicFiles#write}: a crash leaves the old file or the new one. */
    public static void writeAtomically(Path target, Object value) throws IOException {
        if (value instanceof byte[]) {
            throw new IllegalArgumentException("bytes are written with AtomicFiles.write, not as JSON");
        }
        AtomicFiles.write(target, MAPPER.writeValueAsBytes(value));
    }

    /**
     * @throws java.nio.file.NoSuchFileException if the file is missing
     * @throws IOException if it is not valid JSON for {@code type}; the message names the file by its
     *         name only, since it may reach a response
     */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return MAPPER.readValue(in, type);
        } catch (JacksonException e) {
            throw new IOException("malformed JSON in " + file.getFileName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
