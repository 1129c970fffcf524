package dev.digits.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * A closed-loop HTTP load generator: {@code concurrency} threads each send one request, wait for
 * the answer, and send the next, for a fixed time after a warm-up. It runs on the same machine as
 * the service, so its own CPU use is part of the picture on two cores.
 */
final class LoadGenerator {

    record Result(int concurrency, long requests, long failures, double seconds, double p50Millis, double p99Millis) {

        double perSecond() {
            return requests / seconds;
        }
    }

    private LoadGenerator() {
    }

    static Result run(URI uri, String contentType, Supplier<byte[]> body, int concurrency, Duration warmUp,
                      Duration measure) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService threads = Executors.newFixedThreadPool(concurrency);
        try {
            long start = System.nanoTime() + warmUp.toNanos();
            long end = start + measure.toNanos();
            List<Future<long[]>> workers = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                workers.add(threads.submit(() -> loop(client, uri, contentType, body, start, end)));
            }
            List<long[]> perThread = new ArrayList<>();
            long failures = 0;
            for (Future<long[]> worker : workers) {
                long[] latencies = worker.get();
                failures += latencies[0];
                perThread.add(Arrays.copyOfRange(latencies, 1, latencies.length));
            }
            long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return new Result(concurrency, all.length, failures, measure.toNanos() / 1e9, percentile(all, 0.50),
                    percentile(all, 0.99));
        } finally {
            threads.shutdownNow();
        }
    }

    /** @return failures first, then the latency in nanoseconds of every successful measured request */
    private static long[] loop(HttpClient client, URI uri, String contentType, Supplier<byte[]> body, long start,
                               long end) throws Exception {
        long[] latencies = new long[1 << 16];
        int count = 1;
        long failures = 0;
        while (true) {
            long sent = System.nanoTime();
            if (sent >= end) {
                break;
            }
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.get())).build(), HttpResponse.BodyHandlers.discarding());
            long received = System.nanoTime();
            if (sent < start) {
                continue;
            }
            if (response.statusCode() != 200) {
                failures++;
                continue;
            }
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = received - sent;
        }
        latencies[0] = failures;
        return Arrays.copyOf(latencies, count);
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
