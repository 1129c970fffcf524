package dev.digits.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a successful job's model becomes production. */
public enum PromotionPolicy {
    @JsonProperty("never") NEVER,
    /**
     * Only if it beats the current production model on the job's held-out data, and loses no more
     * than the configured margin on the MNIST test set.
     */
    @JsonProperty("if-better") IF_BETTER,
    @JsonProperty("always") ALWAYS
}
