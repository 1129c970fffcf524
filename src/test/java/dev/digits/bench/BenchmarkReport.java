package dev.digits.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Writes one benchmark's section of {@code docs/benchmarks.md}, between markers named after it, with
 * the command that produced it and the machine it ran on. Other sections are left as they are.
 */
final class BenchmarkReport {

    private static final Path FILE = Path.of("docs/benchmarks.md");

    private BenchmarkReport() {
    }

    static void write(String name, String title, String command, String body) throws IOException {
        String start = "<!-- " + name + ":start -->";
        String end = "<!-- " + name + ":end -->";
        String section = start + "\n## " + title + "\n\n"
                + "Command: `" + command + "`  \n"
                + "Run: " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " on " + machine()
                + "\n\n" + body.strip() + "\n" + end;
        Files.createDirectories(FILE.getParent());
        String text = Files.exists(FILE) ? Files.readString(FILE)
                : "# Benchmarks\n\nEvery figure here was measured by the command shown with it. Absolute times on shared "
                  + "machines drift; compare the rows of one run with each other.\n";
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        text = from >= 0 && to > from ? text.substring(0, from) + section + text.substring(to + end.length())
                : text.stripTrailing() + "\n\n" + section + "\n";
        Files.writeString(FILE, text);
        System.out.println(section);
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException e) {
            // not Linux; the core count and the JVM still say something
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + ManagementFactory.getOperatingSystemMXBean().getName() + ", Java " + Runtime.version();
    }
}
