package dev.digits.training;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Asks a running training loop, from any thread, to stop before its next batch: cancelled (its work
 * is abandoned) or suspended (it first saves a checkpoint of where it is, to resume from there).
 */
public final class Cancellation {

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean suspended = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    /** For a shutdown: stop at the next batch boundary with a checkpoint there. */
    public void suspend() {
        suspended.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get() || Thread.currentThread().isInterrupted();
    }

    boolean isSuspended() {
        return suspended.get();
    }

    void throwIfCancelled() {
        if (isCancelled()) {
            throw new TrainingCancelledException();
        }
    }
}
