package dev.digits.inference;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why an answer names no digit. An abstention is an answer, not an error: the request still gets 200. */
public enum Abstention {
    /** Nothing was drawn: an empty canvas, blank paper, a uniform or dark image. */
    NO_INK("no-ink"),
    /** There is ink, but the network's calibrated confidence is below the version's threshold. */
    NOT_A_DIGIT("not-a-digit");

    private final String reason;

    Abstention(String reason) {
        this.reason = reason;
    }

    /** The reason as clients and metrics see it. */
    @JsonValue
    public String reason() {
        return reason;
    }
}
