package dev.digits.bench;

import dev.digits.DigitsApplication;
import dev.digits.security.ApiKeys;
import dev.digits.support.NumberImages;
import dev.digits.support.NumberImages.Family;
import dev.digits.support.NumberImages.Style;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /predict?mode=number} over HTTP on numbers of 2–5 MNIST test digits made by
 * {@link NumberImages}: exact whole-number and per-digit accuracy for each family and style, and
 * the latency of 4-digit images one request at a time. Writes docs/benchmarks.md.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.NumberBenchmark</pre>
 */
public final class NumberBenchmark {

    private static final String COMMAND = "./mvnw -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.NumberBenchmark";
    private static final int IMAGES_PER_STYLE = 250;
    private static final int LATENCY_WARM_UP = 50;
    private static final int LATENCY_IMAGES = 200;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN_KEY = "benchmark-admin-key";

    private NumberBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        NumberImages numbers = NumberImages.fromMnistTest();
        Path home = Files.createTempDirectory("digits-bench-home");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(DigitsApplication.class)
                .run("--server.port=0", "--digits.home=" + home, "--logging.level.root=WARN",
                        "--digits.security.rate-limit.enabled=false",
                        "--digits.security.admin-key-hashes=" + ApiKeys.sha256(ADMIN_KEY))) {
            URI uri = URI.create("http://localhost:" + app.getEnvironment().getProperty("local.server.port")
                    + "/predict?mode=number");
            HttpClient client = HttpClient.newHttpClient();
            BenchmarkReport.write("number-accuracy", "Reading whole numbers: accuracy", COMMAND,
                    accuracy(numbers, client, uri));
            BenchmarkReport.write("number-latency", "Reading whole numbers: latency of 4-digit images", COMMAND,
                    latency(numbers, client, uri));
        }
    }

    private static String accuracy(NumberImages numbers, HttpClient client, URI uri) throws Exception {
        StringBuilder table = new StringBuilder("""
                Numbers of 2 to 5 random MNIST test digits (never trained on), %d images per family and style, read
                by the bundled model over HTTP. Canvas: transparent RGBA, the ink only in alpha, one pen colour.
                Paper: dark ink on gray paper, light falling off across the page, sensor noise, 0–3 specks. Line
                heights 48–160 px. Gaps: 10–35 %% of the line height between the digits' ink in every direction.
                Several strokes: the same, with a thin band erased across every digit so that it falls into pieces
                (the bar of a 5 or 7 apart from the rest). Touching: each digit slid against its left neighbour until
                their ink touches. Overlapping: slid 4–8 %% of the line height further, so strokes cross and run
                together. Exact: the whole number right. Digits: digits right at their place, where the number of
                digits is right (a reading with a digit too many or too few counts all its digits wrong).

                | family | style | exact | digits | digit count right |
                |---|---|---|---|---|
                """.formatted(IMAGES_PER_STYLE));
        for (Family family : Family.values()) {
            int familyExact = 0;
            int familyDigits = 0;
            int familyDigitsRight = 0;
            for (Style style : Style.values()) {
                int exact = 0;
                int digits = 0;
                int digitsRight = 0;
                int countRight = 0;
                for (int i = 0; i < IMAGES_PER_STYLE; i++) {
                    NumberImages.Sample sample = sample(numbers, family, style, i, 2 + (i % 4));
                    String read = read(client, uri, sample.bytes()).get("number").asString("");
                    String truth = sample.number();
                    digits += truth.length();
                    if (read.length() == truth.length()) {
                        countRight++;
                        for (int k = 0; k < truth.length(); k++) {
                            digitsRight += read.charAt(k) == truth.charAt(k) ? 1 : 0;
                        }
                    }
                    exact += read.equals(truth) ? 1 : 0;
                }
                String row = String.format(Locale.ROOT, "| %s | %s | %.1f %% | %.1f %% | %.1f %% |%n", name(family),
                        style.name().toLowerCase(Locale.ROOT), 100.0 * exact / IMAGES_PER_STYLE,
                        100.0 * digitsRight / digits, 100.0 * countRight / IMAGES_PER_STYLE);
                System.out.print(row);
                table.append(row);
                familyExact += exact;
                familyDigits += digits;
                familyDigitsRight += digitsRight;
            }
            String row = String.format(Locale.ROOT, "| **%s** | both | **%.1f %%** | %.1f %% | |%n", name(family),
                    50.0 * familyExact / IMAGES_PER_STYLE, 100.0 * familyDigitsRight / familyDigits);
            System.out.print(row);
            table.append(row);
        }
        table.append("""

                Targets (issue 14): exact ≥ 97 % with gaps, ≥ 85 % where neighbours touch. Of the misses looked at
                while tuning, most where digits touch were a narrow digit (a 1) read as part of its neighbour, or a
                wide one cut in two. Overlapping digits, whose strokes cross, are mostly beyond a reader whose only
                judge is a network trained on single digits.
                """);
        return table.toString();
    }

    private static String latency(NumberImages numbers, HttpClient client, URI uri) throws Exception {
        StringBuilder table = new StringBuilder("""
                4-digit images, one request at a time (client and service share the machine), after %d untimed
                requests; each request decodes the PNG, finds and cuts the digits, and classifies every candidate
                digit in one request to the batching predictor.

                | family | style | image size (median) | p50 (ms) | p90 (ms) | p99 (ms) |
                |---|---|---|---|---|---|
                """.formatted(LATENCY_WARM_UP));
        for (int i = 0; i < LATENCY_WARM_UP; i++) {
            read(client, uri, sample(numbers, Family.TOUCHING, Style.PAPER, 100_000 + i, 4).bytes());
        }
        for (Family family : new Family[] {Family.GAPS, Family.TOUCHING}) {
            for (Style style : Style.values()) {
                long[] nanos = new long[LATENCY_IMAGES];
                int[] pixels = new int[LATENCY_IMAGES];
                String[] sizes = new String[LATENCY_IMAGES];
                for (int i = 0; i < LATENCY_IMAGES; i++) {
                    NumberImages.Sample sample = sample(numbers, family, style, 200_000 + i, 4);
                    pixels[i] = sample.image().getWidth() * sample.image().getHeight();
                    sizes[i] = sample.image().getWidth() + "×" + sample.image().getHeight();
                    long start = System.nanoTime();
                    read(client, uri, sample.bytes());
                    nanos[i] = System.nanoTime() - start;
                }
                Integer[] order = new Integer[LATENCY_IMAGES];
                Arrays.setAll(order, k -> k);
                Arrays.sort(order, (a, b) -> Integer.compare(pixels[a], pixels[b]));
                Arrays.sort(nanos);
                String row = String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %.1f |%n", name(family),
                        style.name().toLowerCase(Locale.ROOT), sizes[order[LATENCY_IMAGES / 2]],
                        nanos[LATENCY_IMAGES / 2] / 1e6, nanos[LATENCY_IMAGES * 9 / 10] / 1e6,
                        nanos[LATENCY_IMAGES * 99 / 100] / 1e6);
                System.out.print(row);
                table.append(row);
            }
        }
        return table.toString();
    }

    /** Seeds apart from those the reader was tuned and tested on. */
    private static NumberImages.Sample sample(NumberImages numbers, Family family, Style style, int i, int length) {
        Random random = new Random(0xBE7C4L * 1_000_003L + family.ordinal() * 7_919L + style.ordinal() * 104_729L + i);
        return numbers.sample(family, style, length, random);
    }

    private static JsonNode read(HttpClient client, URI uri, byte[] png) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String name(Family family) {
        return switch (family) {
            case GAPS -> "gaps";
            case STROKES -> "several strokes";
            case TOUCHING -> "touching";
            case OVERLAPPING -> "overlapping";
        };
    }
}
