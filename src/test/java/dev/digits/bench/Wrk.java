package dev.digits.bench;

import dev.digits.data.LabelledImages;
import dev.digits.model.InputContract;
import dev.digits.support.MnistImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code wrk} load generator, as the serving benchmarks drive it: the bodies it sends (real
 * MNIST test digits as {@code /predict} JSON, v2 JSON and v2 binary), the Lua script that cycles
 * through them, and one run's figures read from its output. wrk is written in C, so on two cores
 * it takes far less of the CPU than a load generator in the JVM would.
 */
final class Wrk {

    private static final String SCRIPT = "post.lua";

    private Wrk() {
    }

    /**
     * Sends requests until the service's JIT compiler has settled: rounds of 10 s, at 16 and then 64
     * connections in turn, until the compiler's threads used under 3 % of the process's CPU in a
     * round, for at most two minutes. The service code takes about a minute under load to settle on
     * two cores; measured before that, a row pays for compiling too.
     *
     * @return the seconds it took
     */
    static int warmUp(String url, String kind, Path work, long pid) throws IOException, InterruptedException {
        int seconds = 0;
        for (int round = 0; round < 12; round++) {
            double processBefore = ProcessCpu.seconds(pid);
            double compilingBefore = ProcessCpu.compilerSeconds(pid);
            run(url, kind, work, round % 2 == 0 ? 16 : 64, 10);
            seconds += 10;
            double compiling = ProcessCpu.compilerSeconds(pid) - compilingBefore;
            if (round > 0 && compiling < 0.03 * (ProcessCpu.seconds(pid) - processBefore)) {
                break;
            }
        }
        return seconds;
    }

    /** Writes {@code count} test digits as each kind of body, and the request script that sends them, to {@code work}. */
    static void writeBodies(Path work, int count) throws IOException {
        LabelledImages test = MnistImages.test();
        String header = "{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[1,28,28],"
                + "\"parameters\":{\"binary_data_size\":784}}],\"parameters\":{\"binary_data_output\":true}}";
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < count; i++) {
            String pixels = MnistImages.pixelsJson(i);
            Files.writeString(work.resolve("predict-" + i + ".json"), "{\"pixels\":" + pixels + "}");
            Files.writeString(work.resolve("v2json-" + i + ".json"), "{\"inputs\":[{\"name\":\"pixels\","
                    + "\"datatype\":\"UINT8\",\"shape\":[1,28,28],\"data\":" + pixels + "}]}");
            byte[] body = new byte[headerBytes.length + InputContract.PIXELS];
            System.arraycopy(headerBytes, 0, body, 0, headerBytes.length);
            System.arraycopy(test.pixels(), i * InputContract.PIXELS, body, headerBytes.length, InputContract.PIXELS);
            Files.write(work.resolve("v2bin-" + i + ".json"), body);
            Files.writeString(work.resolve("v2bin-" + i + ".len"), String.valueOf(headerBytes.length));
        }
        Files.writeString(work.resolve(SCRIPT), LUA);
    }

    /** wrk's request script: cycles through the bodies of one kind; v2 binary adds the JSON header's length. */
    private static final String LUA = """
            local bodies, lengths, n, i, kind = {}, {}, 0, 0, nil
            function init(args)
              kind = args[1]
              for k = 0, 999 do
                local f = io.open(args[2] .. "/" .. kind .. "-" .. k .. ".json", "rb")
                if f == nil then break end
                bodies[k + 1] = f:read("*a"); f:close()
                if kind == "v2bin" then
                  local g = io.open(args[2] .. "/" .. kind .. "-" .. k .. ".len", "rb")
                  lengths[k + 1] = g:read("*a"); g:close()
                end
                n = k + 1
              end
              i = math.random(n) - 1
            end
            function request()
              i = i % n + 1
              if kind == "v2bin" then
                return wrk.format("POST", nil, {["Content-Type"] = "application/octet-stream",
                  ["Inference-Header-Content-Length"] = lengths[i]}, bodies[i])
              end
              return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[i])
            end
            """;

    static void require() throws InterruptedException {
        try {
            new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("this benchmark needs wrk on the PATH (Debian: apt-get install wrk)", e);
        }
    }

    /** What one wrk run measured: requests/s, latency percentiles, failed requests, and wrk's own CPU seconds. */
    record Result(double perSecond, double p50Millis, double p99Millis, long failed, double cpuSeconds) {
    }

    /**
     * Runs wrk against {@code url} with the bodies of one kind ({@code predict}, {@code v2json},
     * {@code v2bin}) that {@link #writeBodies} wrote to {@code work}, and measures wrk's own CPU time
     * with the shell's {@code times}.
     */
    static Result run(String url, String kind, Path work, int concurrency, int seconds)
            throws IOException, InterruptedException {
        int threads = Math.min(2, concurrency);
        List<String> command = List.of("bash", "-c", "wrk \"$@\" && times", "wrk", "-t" + threads,
                "-c" + concurrency, "-d" + seconds + "s", "--latency", "-s", work.resolve(SCRIPT).toString(), url, "--",
                kind, work.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + out);
        }
        double perSecond = number(out, "Requests/sec:\\s+([0-9.]+)");
        long failed = (long) numberOr(out, "Non-2xx or 3xx responses:\\s+([0-9]+)", 0);
        Matcher errors = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                .matcher(out);
        if (errors.find()) {
            for (int g = 1; g <= 4; g++) {
                failed += Long.parseLong(errors.group(g));
            }
        }
        // times: the shell's own user/system line, then its children's (wrk).
        Matcher times = Pattern.compile("(\\d+)m([0-9.]+)s (\\d+)m([0-9.]+)s").matcher(out);
        double cpu = 0;
        for (int line = 0; times.find(); line++) {
            if (line == 1) {
                cpu = Integer.parseInt(times.group(1)) * 60 + Double.parseDouble(times.group(2))
                        + Integer.parseInt(times.group(3)) * 60 + Double.parseDouble(times.group(4));
            }
        }
        return new Result(perSecond, latency(out, "50%"), latency(out, "99%"), failed, cpu);
    }

    private static double latency(String out, String percentile) {
        Matcher m = Pattern.compile("\\s" + percentile + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!m.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    private static double number(String out, String regex) {
        double value = numberOr(out, regex, Double.NaN);
        if (Double.isNaN(value)) {
            throw new IllegalStateException("no " + regex + " in wrk's output:\n" + out);
        }
        return value;
    }

    private static double numberOr(String out, String regex, double otherwise) {
        Matcher m = Pattern.compile(regex).matcher(out);
        return m.find() ? Double.parseDouble(m.group(1)) : otherwise;
    }
}
