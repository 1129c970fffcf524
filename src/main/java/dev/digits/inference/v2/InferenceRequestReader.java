package dev.digits.inference.v2;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads an inference request: the JSON object (the whole body, or its first
 * {@code Inference-Header-Content-Length} bytes) and the binary tensors after it. Checks the
 * protocol's structure only; what the tensors must be for this model is {@link InputTensors}'s job.
 *
 * <p>The common request, UINT8 {@code pixels} as JSON numbers, is read without a JSON node per
 * number: {@link #plain} reads the {@code data} arrays of the inputs straight into bytes, the same
 * bytes the binary tensor extension would have carried, and builds a tree of everything else. Any
 * request it does not recognise as valid and plain goes through the tree, which decides it as it
 * always has.
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
        Plain plain = plain(body, jsonLength);
        if (plain != null) {
            try {
                InferenceRequest request = read(plain.root(), plain.pixels(), body, jsonLength);
                if (request != null) {
                    return request;
                }
            } catch (InvalidInferenceRequestException e) {
                // The tree below finds the same fault and reports it.
            }
        }
        return read(parse(body, jsonLength), null, body, jsonLength);
    }

    /**
     * @param pixels per input, the UINT8 values of its JSON {@code data}, which {@code root} then
     *               leaves out; null when {@code root} is the whole request
     * @return null if {@code pixels} holds data that is not the plain UINT8 {@code pixels} input it
     *         seemed to be (the caller then reads the whole tree)
     */
    private static InferenceRequest read(JsonNode root, List<byte[]> pixels, byte[] body, int jsonLength) {
        String id = optionalString(root, "id", "request");
        boolean binaryOutputs = optionalBoolean(parameters(root, "request"), BINARY_DATA_OUTPUT, "request.parameters");

        ByteBuffer binary = BinaryFraming.binaryPart(body, jsonLength);
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new InvalidInferenceRequestException("\"inputs\" must be a non-empty array of tensors");
        }
        List<InferenceRequest.Input> read = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            byte[] values = pixels == null ? null : pixels.get(i);
            InferenceRequest.Input input = values == null ? input(inputs.get(i), "inputs[" + i + "]", binary)
                    : plainPixels(inputs.get(i), "inputs[" + i + "]", values);
            if (input == null) {
                return null;
            }
            read.add(input);
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

    /**
     * An input whose JSON {@code data} was read as UINT8 values: as the same bytes in binary form,
     * which {@link InputTensors} turns into the same pixels. Null unless it is the {@code pixels}
     * input, UINT8, with as many values as its shape makes and no {@code binary_data_size}: in every
     * other case the tree decides (and words any error).
     */
    private static InferenceRequest.Input plainPixels(JsonNode node, String where, byte[] values) {
        String name = requiredString(node, "name", where);
        where = where + " '" + Texts.quoted(name) + "'";
        Datatype type = Datatype.parse(requiredString(node, "datatype", where), where);
        long[] shape = shape(node.get("shape"), where);
        JsonNode parameters = parameters(node, where);
        InferenceRequest.Input input = new InferenceRequest.Input(name, type, shape, null, ByteBuffer.wrap(values));
        if (!Signature.PIXELS.equals(name) || type != Datatype.UINT8 || input.elements() != values.length
                || parameters != null && parameters.get(BINARY_DATA_SIZE) != null) {
            return null;
        }
        return input;
    }

    /** The request's tree without the UINT8 values of its inputs' {@code data}, which are in {@code pixels}. */
    private record Plain(JsonNode root, List<byte[]> pixels) {
    }

    /**
     * Reads a request whose inputs' {@code data} are arrays (flat or nested) of integers in 0–255
     * token by token: each such array becomes bytes, everything else a tree. Null when the JSON is
     * anything else, malformed, or has a repeated name or trailing tokens, all of which the tree
     * path reports.
     */
    private static Plain plain(byte[] body, int length) {
        try (JsonParser parser = MAPPER.createParser(body, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            List<byte[]> pixels = new ArrayList<>();
            for (JsonToken token = parser.nextToken(); token == JsonToken.PROPERTY_NAME; token = parser.nextToken()) {
                String name = parser.currentName();
                if (root.has(name)) {
                    return null;
                }
                JsonToken value = parser.nextToken();
                root.set(name, "inputs".equals(name) && value == JsonToken.START_ARRAY ? plainInputs(parser, pixels)
                        : parser.readValueAsTree());
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
            return new Plain(root, pixels);
        } catch (JacksonException | NotPlain e) {
            return null;
        }
    }

    /** The inputs array from its first element on; adds each input's packed data (or null) to {@code pixels}. */
    private static JsonNode plainInputs(JsonParser parser, List<byte[]> pixels) {
        var inputs = JsonNodeFactory.instance.arrayNode();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.START_OBJECT) {
                throw NotPlain.INSTANCE;
            }
            ObjectNode input = JsonNodeFactory.instance.objectNode();
            byte[] data = null;
            for (token = parser.nextToken(); token == JsonToken.PROPERTY_NAME; token = parser.nextToken()) {
                String name = parser.currentName();
                if (input.has(name) || "data".equals(name) && data != null) {
                    throw NotPlain.INSTANCE;
                }
                if ("data".equals(name)) {
                    if (parser.nextToken() != JsonToken.START_ARRAY) {
                        throw NotPlain.INSTANCE;
                    }
                    data = uint8s(parser);
                } else {
                    parser.nextToken();
                    input.set(name, parser.readValueAsTree());
                }
            }
            inputs.add(input);
            pixels.add(data);
        }
        return inputs;
    }

    /** The integers in 0–255 of a (nested) array, from just after its start to its end, in order. */
    private static byte[] uint8s(JsonParser parser) {
        byte[] values = new byte[1024];
        int count = 0;
        int depth = 1;
        while (depth > 0) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
                int value = parser.getIntValue();
                if (value < 0 || value > 255) {
                    throw NotPlain.INSTANCE;
                }
                if (count == values.length) {
                    values = Arrays.copyOf(values, count * 2);
                }
                values[count++] = (byte) value;
            } else if (token == JsonToken.START_ARRAY) {
                depth++;
            } else if (token == JsonToken.END_ARRAY) {
                depth--;
            } else {
                throw NotPlain.INSTANCE;
            }
        }
        return count == values.length ? values : Arrays.copyOf(values, count);
    }

    /** The request is not one that {@link #plain} reads: the tree decides. */
    private static final class NotPlain extends RuntimeException {

        static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super(null, null, false, false);
        }
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
