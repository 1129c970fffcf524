package dev.digits.datasets;

import dev.digits.inference.InvalidInputException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code label} field of a feedback JSON body (already validated as JSON by the image parser). */
final class JsonLabel {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private JsonLabel() {
    }

    static Integer read(byte[] body) {
        JsonNode label = MAPPER.readTree(body).get("label");
        if (label == null || !label.isIntegralNumber()) {
            throw new InvalidInputException("\"label\" must be a digit 0-9");
        }
        return label.asInt();
    }
}
