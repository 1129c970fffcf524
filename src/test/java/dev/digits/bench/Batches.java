package dev.digits.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The forward passes a service has run so far and the images in them, from the count and sum of
 * its {@code digits.inference.batch.size} on its Prometheus page; the difference of two readings
 * gives the mean batch in between.
 */
record Batches(double passes, double images) {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern SAMPLE = Pattern.compile(
            "(?m)^digits_inference_batch_size_(count|sum)\\{[^}]*} ([0-9.eE+-]+)$");

    static final Batches NONE = new Batches(0, 0);

    /** @param base the service's URL without a path, such as {@code http://127.0.0.1:8080} */
    static Batches of(String base) throws IOException, InterruptedException {
        String page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        double passes = 0;
        double images = 0;
        Matcher sample = SAMPLE.matcher(page);
        while (sample.find()) {
            double value = Double.parseDouble(sample.group(2));
            if (sample.group(1).equals("count")) {
                passes += value;
            } else {
                images += value;
            }
        }
        return new Batches(passes, images);
    }

    Batches plus(Batches other) {
        return new Batches(passes + other.passes, images + other.images);
    }

    Batches minus(Batches earlier) {
        return new Batches(passes - earlier.passes, images - earlier.images);
    }

    /** Images per forward pass; 0 when there was none. */
    double meanBatch() {
        return passes == 0 ? 0 : images / passes;
    }
}
