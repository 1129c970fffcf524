package dev.digits.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident memory, which (unlike the JVM heap) includes PyTorch's native allocations. */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Resident set size in MiB on Linux; NaN elsewhere. */
    public static double rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return Double.NaN;
    }
}
