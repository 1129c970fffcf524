package dev.digits.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The JSON mapper for files on disk, and atomic writes of them. */
public final class Json {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    /**
     * Writes {@code value} to a temporary file in the same folder, forces it to disk, then renames it
     * over {@code target}: a crash leaves the old file or the new one, never half of one.
     */
    public static void writeAtomically(Path target, Object value) throws IOException {
        writeAtomically(target, MAPPER.writeValueAsBytes(value));
    }

    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path temp = Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
        try {
            try (var channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Removes the temporary files of writes that a crash interrupted in {@code folder} (never a complete file). */
    public static void removeInterruptedWrites(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> children = Files.list(folder)) {
            for (Path child : children.toList()) {
                String name = child.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp")) {
                    Files.deleteIfExists(child);
                }
            }
        }
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
