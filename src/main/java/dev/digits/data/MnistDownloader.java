package dev.digits.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Fetches the MNIST files into a folder for deployments that do not use the bundled copies.
 * Each file is downloaded to a temporary name, verified, then renamed, so a partial download
 * never looks like a finished one.
 */
public final class MnistDownloader {

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    /** Downloads every file that {@code folder} lacks from {@code baseUrl + "/" + gzipName}. */
    public MnistSource ensure(Path folder, String baseUrl) {
        try {
            Files.createDirectories(folder);
            for (MnistFile file : MnistFile.values()) {
                Path target = folder.resolve(file.gzipName());
                if (!Files.exists(target)) {
                    download(URI.create(baseUrl.replaceAll("/+$", "") + "/" + file.gzipName()), target, file);
                }
            }
            return MnistSource.directory(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download MNIST into " + folder, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while downloading MNIST", e);
        }
    }

    private void download(URI uri, Path target, MnistFile file) throws IOException, InterruptedException {
        Path temp = Files.createTempFile(target.getParent(), file.gzipName(), ".part");
        try {
            HttpResponse<Path> response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(temp));
            if (response.statusCode() != 200) {
                throw new IOException("GET " + uri + " answered " + response.statusCode());
            }
            try (InputStream in = Files.newInputStream(temp)) {
                MnistLoader.readVerified(file, in);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
