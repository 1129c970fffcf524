package dev.digits.jobs;

import dev.digits.training.EpochSummary;
import java.time.Instant;
import java.util.List;

/**
 * A training or fine-tuning job as stored in {@code jobs/<id>.json}. Immutable: every change makes
 * a new record, which is written to disk before anyone sees it.
 *
 * @param request the request with every default filled in
 * @param parentVersion for fine-tuning, the version the base model alias pointed at when accepted
 * @param attempts how many times it has been started; more than one means it was resumed
 */
public record Job(String id, JobRequest request, String parentVersion, JobState state, Instant createdAt,
                  Instant startedAt, Instant finishedAt, String failureReason, JobProgress progress,
                  List<EpochSummary> history, JobResult result, String idempotencyKey, int attempts) {

    Job queued() {
        return new Job(id, request, parentVersion, JobState.QUEUED, createdAt, null, null, null, progress, history, null,
                idempotencyKey, attempts);
    }

    Job running(Instant now) {
        return new Job(id, request, parentVersion, JobState.RUNNING, createdAt, now, null, null, progress, history, null,
                idempotencyKey, attempts + 1);
    }

    Job withProgress(JobProgress newProgress) {
        return new Job(id, request, parentVersion, state, createdAt, startedAt, finishedAt, failureReason, newProgress,
                history, result, idempotencyKey, attempts);
    }

    Job withHistory(List<EpochSummary> newHistory) {
        return new Job(id, request, parentVersion, state, createdAt, startedAt, finishedAt, failureReason, progress,
                List.copyOf(newHistory), result, idempotencyKey, attempts);
    }

    Job succeeded(Instant now, JobResult jobResult) {
        return new Job(id, request, parentVersion, JobState.SUCCEEDED, createdAt, startedAt, now, null, progress, history,
                jobResult, idempotencyKey, attempts);
    }

    Job failed(Instant now, String reason) {
        return new Job(id, request, parentVersion, JobState.FAILED, createdAt, startedAt, now, reason, progress, history,
                null, idempotencyKey, attempts);
    }

    Job cancelled(Instant now) {
        return new Job(id, request, parentVersion, JobState.CANCELLED, createdAt, startedAt, now, null, progress, history,
                null, idempotencyKey, attempts);
    }
}
