package dev.digits.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Where the four MNIST files are read from: the copies bundled in the jar, or a folder. */
@FunctionalInterface
public interface MnistSource {

    InputStream open(MnistFile file) throws IOException;

    /** The gzip copies shipped under {@code /mnist/} on the classpath. */
    static MnistSource bundled() {
        return file -> {
            InputStream in = MnistSource.class.getResourceAsStream("/mnist/" + file.gzipName());
            if (in == null) {
                throw new NoSuchFileException("classpath:/mnist/" + file.gzipName());
            }
            return in;
        };
    }

    /** A folder holding the files, gzip-compressed ({@code *.gz}) or raw. */
    static MnistSource directory(Path folder) {
        return file -> {
            Path gz = folder.resolve(file.gzipName());
            return Files.newInputStream(Files.exists(gz) ? gz : folder.resolve(file.gzipName().replace(".gz", "")));
        };
    }
}
