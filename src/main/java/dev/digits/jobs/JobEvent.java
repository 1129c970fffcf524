package dev.digits.jobs;

/**
 * What {@code GET /jobs/{id}/events} streams.
 *
 * @param type {@code state} (the whole job, on every state change) or {@code progress} (after each batch) or
 *             {@code epoch} (after each epoch, with the history)
 */
public record JobEvent(String type, Job job) {
}
