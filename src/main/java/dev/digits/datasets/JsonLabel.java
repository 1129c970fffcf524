package dev.digits.datasets;

import dev.digits.inference.InvalidInputException;
import tools.jackson.databind.JsonNode;

/** The {@code label} field of a feedback JSON body. */
final class JsonLabel {

    private JsonLabel() {
    }

    static Integer read(JsonNode body) {
        JsonNode label = body.get("label");
        if (label == null || !label.isIntegralNumber()) {
            throw new InvalidInputException("\"label\" must be a digit 0-9");
        }
        return label.asInt();
    }
}
