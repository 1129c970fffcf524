package dev.digits.jobs;

/** {@code QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED}. */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
