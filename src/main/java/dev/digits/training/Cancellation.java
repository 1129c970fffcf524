package dev.digits.training;

import java.util.concurrent.atomic.AtomicBoolean;

/** Asks a running training loop, from any thread, to stop before its next batch. */
public final class Cancellation {

    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get() || Thread.currentThread().isInterrupted();
    }

    void throwIfCancelled() {
        if (isCancelled()) {
            throw new TrainingCancelledException();
        }
    }
}
