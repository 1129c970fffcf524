package dev.digits.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs file system mounted for a test, so that a store can really run out of space (the
 * kernel answers ENOSPC; nothing is simulated). Needs root and a {@code mount} that works, as in CI;
 * elsewhere {@link #mount} is empty and the test is skipped.
 */
public final class Tmpfs implements AutoCloseable {

    private final Path mountPoint;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    public static Optional<Tmpfs> mount(Path mountPoint, int megabytes) {
        if (run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "digits-test", mountPoint.toString())) {
            return Optional.of(new Tmpfs(mountPoint));
        }
        return Optional.empty();
    }

    public Path path() {
        return mountPoint;
    }

    /** Writes {@code name} until the file system is full, down to the last byte. */
    public Path fill(String name) throws IOException {
        Path filler = mountPoint.resolve(name);
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int chunk : new int[] {1 << 20, 1 << 12, 1}) {
                byte[] bytes = new byte[chunk];
                try {
                    while (true) {
                        out.write(bytes);
                        out.flush();
                    }
                } catch (IOException full) {
                    // this chunk size no longer fits; try a smaller one
                }
            }
        } catch (IOException full) {
            // closing flushes nothing more
        }
        return filler;
    }

    @Override
    public void close() {
        run("umount", "-l", mountPoint.toString());
    }

    private static boolean run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
