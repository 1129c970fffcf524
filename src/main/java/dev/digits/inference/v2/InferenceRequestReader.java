package dev.digits.inference.v2;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an inference request: the JSON object (the whole body, or its first
 * {@code Inference-Header-Content-Length} bytes) and the binary tensors after it. Checks the
 * protocol's structure only; what the tensors must be for this model is {@link InputTensors}'s job.
 */
final class InferenceRequestReader {

    static final String BINARY_DATA_SIZE = "binary_data_size";
    static final String BINARY_DATA = "binary_data";
    static final String BINARY_DATA_OUTPUT = "binary_data_output";

    /** An inference request is shallow; its only long strings are base64 images. Anything else is refused early. */
    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(16)
                            .maxNumberLength(64)
                            .maxStringLength(20_000_000)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private InferenceRequestReader() {
    }

    /** @param headerLength the {@code Inference-Header-Content-Length} header, or null */
    static InferenceRequest read(byte[] body, String headerLength) {
        int jsonLength = BinaryFraming.jsonLength(body, headerLength);
        JsonNode root = parse(body, jsonLength);
        String id = optionalString(root, "id", "request");
        boolean binaryOutputs = optionalBoolean(parameters(root, "request"), BINARY_DATA_OUTPUT, "request.parameters");

        ByteBuffer binary = BinaryFraming.binaryPart(body, jsonLength);
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new InvalidInferenceRequestException("\"inputs\" must be a non-empty array of tensors");
        }
        List<InferenceRequest.Input> read = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            read.add(input(inputs.get(i), "inputs[" + i + "]", binary));
        }
        if (binary.hasRemaining()) {
            throw new InvalidInferenceRequestException(binary.remaining() + " bytes follow the JSON that no input's "
                    + BINARY_DATA_SIZE + " accounts for (is " + BinaryFraming.HEADER + " right?)");
        }
        return new InferenceRequest(id, read, outputs(root.get("outputs")), binaryOutputs);
    }

    private static JsonNode parse(byte[] body, int length) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body, 0, length);
        } catch (JacksonException e) {
            throw new InvalidInferenceRequestException("malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInferenceRequestException("the request must be a JSON object");
        }
        return root;
    }

    private static InferenceRequest.Input input(JsonNode node, String where, ByteBuffer binary) {
        if (!node.isObject()) {
            throw new InvalidInferenceRequestException(where + " must be an object");
        }
        String name = requiredString(node, "name", where);
        where = where + " '" + Texts.quoted(name) + "'";
        Datatype type = Datatype.parse(requiredString(node, "datatype", where), where);
        long[] shape = shape(node.get("shape"), where);
        JsonNode parameters = parameters(node, where);
        JsonNode size = parameters == null ? null : parameters.get(BINARY_DATA_SIZE);
        JsonNode data = node.get("data");
        if (size == null) {
            if (data == null || data.isNull()) {
                throw new InvalidInferenceRequestException(where + " has neither \"data\" nor a "
                        + BINARY_DATA_SIZE + " parameter");
            }
            return new InferenceRequest.Input(name, type, shape, data, null);
        }
        if (data != null) {
            throw new InvalidInferenceRequestException(where + " has both \"data\" and " + BINARY_DATA_SIZE);
        }
        if (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
            throw new InvalidInferenceRequestException(where + "." + BINARY_DATA_SIZE
                    + " must be a non-negative integer");
        }
        long bytes = size.asLong();
        if (bytes > binary.remaining()) {
            throw new InvalidInferenceRequestException(where + " declares " + BINARY_DATA_SIZE + " " + bytes + " but only "
                    + binary.remaining() + " bytes of binary data are left (is " + BinaryFraming.HEADER + " right?)");
        }
        ByteBuffer own = binary.slice(binary.position(), (int) bytes).order(binary.order());
        binary.position(binary.position() + (int) bytes);
        return new InferenceRequest.Input(name, type, shape, null, own);
    }

    private static long[] shape(JsonNode node, String where) {
        if (node == null || !node.isArray()) {
            throw new InvalidInferenceRequestException(where + ".shape must be an array of dimensions");
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dimension = node.get(i);
            if (!dimension.isIntegralNumber() || !dimension.canConvertToLong() || dimension.asLong() < 0) {
                throw new InvalidInferenceRequestException(where + ".shape[" + i + "] must be a non-negative integer");
            }
            shape[i] = dimension.asLong();
        }
        return shape;
    }

    private static List<InferenceRequest.Output> outputs(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidInferenceRequestException("\"outputs\" must be an array");
        }
        List<InferenceRequest.Output> outputs = new ArrayList<>(node.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String where = "outputs[" + i + "]";
            JsonNode output = node.get(i);
            if (!output.isObject()) {
                throw new InvalidInferenceRequestException(where + " must be an object");
            }
            String name = requiredString(output, "name", where);
            if (!Signature.isOutput(name)) {
                throw new InvalidInferenceRequestException(where + ": model '" + Signature.MODEL + "' has no output '"
                        + Texts.quoted(name) + "'; its outputs are " + Signature.names(Signature.OUTPUTS));
            }
            if (!seen.add(name)) {
                throw new InvalidInferenceRequestException(where + ": output '" + name + "' is asked for twice");
            }
            JsonNode parameters = parameters(output, where);
            Boolean binary = parameters != null && parameters.has(BINARY_DATA)
                    ? optionalBoolean(parameters, BINARY_DATA, where + ".parameters") : null;
            outputs.add(new InferenceRequest.Output(name, binary));
        }
        return outputs;
    }

    /** The {@code parameters} object of a request, input or output; null when absent. */
    private static JsonNode parameters(JsonNode node, String where) {
        JsonNode parameters = node.get("parameters");
        if (parameters == null || parameters.isNull()) {
            return null;
        }
        if (!parameters.isObject()) {
            throw new InvalidInferenceRequestException(where + ".parameters must be an object");
        }
        return parameters;
    }

    private static String requiredString(JsonNode node, String field, String where) {
        String value = optionalString(node, field, where);
        if (value == null) {
            throw new InvalidInferenceRequestException(where + " needs a \"" + field + "\" string");
        }
        return value;
    }

    private static String optionalString(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new InvalidInferenceRequestException(where + "." + field + " must be a string");
        }
        return value.asString();
    }

    private static boolean optionalBoolean(JsonNode parameters, String field, String where) {
        JsonNode value = parameters == null ? null : parameters.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidInferenceRequestException(where + "." + field + " must be true or false");
        }
        return value.asBoolean();
    }
}
