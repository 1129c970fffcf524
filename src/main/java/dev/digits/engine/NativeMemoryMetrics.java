package dev.digits.engine;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * The process's resident memory. PyTorch allocates outside the JVM heap, so the JVM's own meters
 * cannot show a native leak; resident memory can.
 */
@Component
class NativeMemoryMetrics {

    private static final Path STATUS = Path.of("/proc/self/status");

    NativeMemoryMetrics(MeterRegistry meters) {
        if (Files.isReadable(STATUS)) {
            Gauge.builder("digits.process.resident.memory", NativeMemoryMetrics::residentBytes).baseUnit("bytes")
                    .description("Resident set size of the process, native memory included").register(meters);
        }
    }

    static double residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return Double.NaN;
    }
}
