package dev.digits.training;

/** What the learning rate does after warm-up. */
public enum ScheduleKind {
    /** Cosine decay to 1 % of the base rate at the last step. */
    COSINE,
    /** ×0.1 at half of the steps and ×0.1 again at three quarters. */
    STEP,
    CONSTANT
}
