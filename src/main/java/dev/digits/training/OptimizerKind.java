package dev.digits.training;

/** The optimizers a run can use. */
public enum OptimizerKind {
    ADAM, SGD
}
