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
 * @param trainer the trainer (process) that runs or last ran it
 */
public record Job(String id, JobRequest request, String parentVersion, JobState state, Instant createdAt,
                  Instant startedAt, Instant finishedAt, String failureReason, JobProgress progress,
                  List<EpochSummary> history, JobResult result, String idempotencyKey, int attempts,
                  String trainer) {

    Job queued() {
        return new Job(id, request, parentVersion, JobState.QUEUED, createdAt, null, null, null, progress, history, null,
                idempotencyKey, attempts, trainer);
    }

    Job running(Instant now, String by) {
        return new Job(id, request, parentVersion, JobState.RUNNING, createdAt, now, null, null, progress, history, null,
                idempotencyKey, attempts + 1, by);
    }

    Job withProgress(JobProgress newProgress) {
        return new Job(id, request, parentVersion, state, createdAt, startedAt, finishedAt, failureReason, newProgress,
                history, result, idempotencyKey, attempts, trainer);
    }

    Job withHistory(List<EpochSummary> newHistory) {
        return new Job(id, request, parentVersion, state, createdAt, startedAt, finishedAt, failureReason, progress,
                List.copyOf(newHistory), result, idempotencyKey, attempts, trainer);
    }

    Job succeeded(Instant now, JobResult jobResult) {
        return new Job(id, request, parentVersion, JobState.SUCCEEDED, createdAt, startedAt, now, null, progress, history,
                jobResult, idempotencyKey, attempts, trainer);
    }

    Job failed(Instant now, String reason) {
        return new Job(id, request, parentVersion, JobState.FAILED, createdAt, startedAt, now, reason, progress, history,
                null, idempotencyKey, attempts, trainer);
    }

    Job cancelled(Instant now) {
        return new Job(id, request, parentVersion, JobState.CANCELLED, createdAt, startedAt, now, null, progress, history,
                null, idempotencyKey, attempts, trainer);
    }
}
