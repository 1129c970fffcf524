package dev.digits.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a job trains. */
public enum JobType {
    /** A network from scratch. */
    @JsonProperty("train") TRAIN,
    /** A registry version, further trained on new data, with lower default learning rates. */
    @JsonProperty("fine-tune") FINE_TUNE
}
