package dev.digits.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of a process and of its threads, from Linux's /proc: the JVM gives its threads their
 * Java names (cut to 15 characters) as Linux thread names, so threads are grouped by name prefix.
 */
final class ProcessCpu {

    /** The JIT compilers' threads ({@code C1 CompilerThread0}, {@code C2 CompilerThread0}, ...), by name prefix. */
    private static final String[] COMPILERS = {"C1 Compi", "C2 Compi"};

    private ProcessCpu() {
    }

    /** User and system CPU seconds of a process. */
    static double seconds(long pid) throws IOException {
        return seconds(Files.readString(Path.of("/proc/" + pid + "/stat")));
    }

    /** CPU seconds of the process's JIT compiler threads. */
    static double compilerSeconds(long pid) throws IOException {
        Map<String, Double> seconds = byThreadPrefix(pid, COMPILERS);
        return seconds.get(COMPILERS[0]) + seconds.get(COMPILERS[1]);
    }

    /** CPU seconds of a process (key "") and of its threads whose names start with each prefix (summed). */
    static Map<String, Double> byThreadPrefix(long pid, String... prefixes) throws IOException {
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("", seconds(pid));
        for (String prefix : prefixes) {
            seconds.put(prefix, 0.0);
        }
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    for (String prefix : prefixes) {
                        if (name.startsWith(prefix)) {
                            seconds.merge(prefix, seconds(Files.readString(task.resolve("stat"))), Double::sum);
                        }
                    }
                } catch (IOException threadEnded) {
                    // gone between the listing and the read
                }
            }
        }
        return seconds;
    }

    /** utime + stime of a /proc stat line, in clock ticks of 1/100 s (Linux's USER_HZ). */
    private static double seconds(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }
}
