package dev.digits.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.storage.filesystem.FilesystemJobs;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobMetricsTests {

    @Test
    void oneScrapeOfTheJobGaugesAsksTheStoreOnce(@TempDir Path root) {
        FilesystemJobs store = new FilesystemJobs(root);
        store.insert(new Job("metrics-1", new JobRequest(JobType.TRAIN, "cnn", null, "mnist", 1, 64, "adam", 0.001f,
                "cosine", 0f, false, 1L, 0.1f, false, null, null), null, JobState.QUEUED, Instant.now(), null, null,
                null, null, List.of(), null, null, 0, null));
        AtomicInteger counts = new AtomicInteger();
        JobRepository counting = (JobRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {JobRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("countByState")) {
                        counts.incrementAndGet();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new JobMetrics(counting, meters);

        List<Gauge> gauges = List.copyOf(meters.find("digits.jobs").gauges());
        assertThat(gauges).hasSize(JobState.values().length);
        double queued = meters.get("digits.jobs").tag("state", "queued").gauge().value();
        double total = gauges.stream().mapToDouble(Gauge::value).sum();

        assertThat(queued).isEqualTo(1.0);
        assertThat(total).isEqualTo(1.0);
        assertThat(counts).hasValue(1);
    }
}
