package dev.digits.datasets;

import dev.digits.data.LabelledImages;
import dev.digits.inference.InvalidInputException;
import tools.jackson.databind.JsonNode;

/**
 * A feedback label: a digit 0–9, or {@code none} for an image that is no digit at all, which
 * fine-tunes then learn to abstain on. Stored as {@link LabelledImages#NOT_A_DIGIT}.
 */
final class JsonLabel {

    static final String NONE = "none";
    private static final String EXPECTED = "label must be a digit 0-9, or \"none\" for an image that is not a digit";

    private JsonLabel() {
    }

    /** The {@code label} field of a feedback JSON body: a number 0–9 or the string {@code "none"}. */
    static int read(JsonNode body) {
        JsonNode label = body.get("label");
        if (label != null && label.isIntegralNumber()) {
            return checked(label.asInt());
        }
        if (label != null && label.isString()) {
            return parse(label.asString());
        }
        throw new InvalidInputException(EXPECTED);
    }

    /** A label given as text, e.g. a query parameter. */
    static int parse(String text) {
        if (NONE.equalsIgnoreCase(text.strip())) {
            return LabelledImages.NOT_A_DIGIT;
        }
        try {
            return checked(Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            throw new InvalidInputException(EXPECTED);
        }
    }

    /** How responses show a stored label: the digit, or {@code "none"}. */
    static Object shown(int label) {
        return label == LabelledImages.NOT_A_DIGIT ? NONE : label;
    }

    private static int checked(int label) {
        if (label < 0 || label > 9) {
            throw new InvalidInputException(EXPECTED);
        }
        return label;
    }
}
