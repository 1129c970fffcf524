package dev.digits.training;

import ai.djl.training.tracker.Tracker;

/**
 * Linear warm-up, then cosine or step decay, over the whole run's optimizer steps. The offset lets
 * a resumed run continue the curve where the interrupted one stopped, since DJL's optimizer counts
 * its updates from zero again.
 */
final class LearningRateSchedule implements Tracker {

    private static final float COSINE_FLOOR = 0.01f;

    private final ScheduleKind kind;
    private final float base;
    private final int warmupSteps;
    private final int totalSteps;
    private final int offset;

    LearningRateSchedule(ScheduleKind kind, float base, int warmupSteps, int totalSteps, int offset) {
        this.kind = kind;
        this.base = base;
        this.warmupSteps = warmupSteps;
        this.totalSteps = Math.max(totalSteps, 1);
        this.offset = offset;
    }

    /** Steps done before this (resumed) run started. */
    int offsetSteps() {
        return offset;
    }

    @Override
    public float getNewValue(int numUpdate) {
        int step = numUpdate + offset;
        if (step < warmupSteps) {
            return base * (step + 1) / warmupSteps;
        }
        float progress = Math.min(1f, (step - warmupSteps) / (float) Math.max(1, totalSteps - warmupSteps));
        return switch (kind) {
            case COSINE -> base * (COSINE_FLOOR + (1 - COSINE_FLOOR) * 0.5f * (1 + (float) Math.cos(Math.PI * progress)));
            case STEP -> base * (progress >= 0.75f ? 0.01f : progress >= 0.5f ? 0.1f : 1f);
            case CONSTANT -> base;
        };
    }
}
