package dev.digits.jobs;

import dev.digits.training.BatchProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * The jobs' meters: jobs by state (as the store has them, so every replica reports the same), the
 * running jobs' loss, accuracy and images, and the duration of finished ones.
 */
@Component
class JobMetrics {

    private final MeterRegistry meters;
    /** Held here: a gauge keeps only a weak reference to the object it reads. */
    private final CountsByState counts;
    private final Map<JobType, AtomicReference<Double>> currentLoss = new EnumMap<>(JobType.class);
    private final Map<JobType, AtomicReference<Double>> currentAccuracy = new EnumMap<>(JobType.class);
    private final Map<JobType, Counter> imagesTrained = new EnumMap<>(JobType.class);

    JobMetrics(JobRepository repository, MeterRegistry meters) {
        this.meters = meters;
        this.counts = new CountsByState(repository);
        for (JobState state : JobState.values()) {
            Gauge.builder("digits.jobs", counts, c -> c.count(state))
                    .description("Jobs by state").tag("state", state.name().toLowerCase()).register(meters);
        }
        for (JobType type : JobType.values()) {
            currentLoss.put(type, new AtomicReference<>(Double.NaN));
            currentAccuracy.put(type, new AtomicReference<>(Double.NaN));
            Gauge.builder("digits.training.loss", currentLoss.get(type), AtomicReference::get)
                    .description("Latest batch loss of a running job").tag("type", tag(type)).register(meters);
            Gauge.builder("digits.training.accuracy", currentAccuracy.get(type), AtomicReference::get)
                    .description("Running accuracy of a running job's epoch").tag("type", tag(type)).register(meters);
            imagesTrained.put(type, Counter.builder("digits.training.images").description("Training images processed")
                    .tag("type", tag(type)).register(meters));
        }
    }

    void batch(JobType type, BatchProgress progress) {
        imagesTrained.get(type).increment(progress.images());
        currentLoss.get(type).set((double) progress.loss());
        currentAccuracy.get(type).set((double) progress.runningAccuracy());
    }

    void finished(Job job) {
        JobType type = job.request().type();
        currentLoss.get(type).set(Double.NaN);
        currentAccuracy.get(type).set(Double.NaN);
        if (job.state().isFinished() && job.startedAt() != null) {
            Timer.builder("digits.jobs.duration").description("Wall time of a job's last attempt")
                    .tags("type", tag(type), "outcome", job.state().name().toLowerCase())
                    .register(meters).record(Duration.between(job.startedAt(), job.finishedAt()));
        }
    }

    /**
     * The store's counts, asked for once per scrape rather than once per state: the gauges of one
     * scrape are read within a second of each other, and on PostgreSQL each count is a query.
     */
    private static final class CountsByState {

        private static final long FRESH_NANOS = 1_000_000_000L;

        private final JobRepository repository;
        private volatile Map<JobState, Long> counts = Map.of();
        private volatile long countedAt = System.nanoTime() - 2 * FRESH_NANOS;

        CountsByState(JobRepository repository) {
            this.repository = repository;
        }

        double count(JobState state) {
            long now = System.nanoTime();
            if (now - countedAt > FRESH_NANOS) {
                counts = repository.countByState();
                countedAt = now;
            }
            return counts.getOrDefault(state, 0L);
        }
    }

    static String tag(JobType type) {
        return type == JobType.FINE_TUNE ? "fine-tune" : "train";
    }
}
