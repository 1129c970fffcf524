package dev.digits.inference;

import dev.digits.images.MnistInput;
import dev.digits.model.InputContract;
import dev.digits.web.PayloadTooLargeException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON forms of {@code /predict}: {@code {"pixels": [...]}} (784 numbers or 28×28 nested, in
 * 0–255 or 0–1, MNIST polarity: bright ink on black), {@code {"image": "<base64>"}} (any accepted
 * image format, optionally as a data URL) and {@code {"instances": [...]}} of either.
 */
public final class JsonImages {

    /** Tight parser limits: a predict request is small and shallow, so anything else is refused early. */
    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(16)
                            .maxNumberLength(64)
                            .maxStringLength(20_000_000)
                            .build())
                    .build())
            .build();

    private JsonImages() {
    }

    /** The parsed images and whether the request was a batch ({@code instances}). */
    public record Parsed(List<MnistInput> inputs, boolean batch) {

        /** The unit images alone. */
        public List<float[]> images() {
            return inputs.stream().map(MnistInput::unit).toList();
        }
    }

    /** Parses a request body within the parser's limits; it must be a JSON object. */
    public static JsonNode read(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidInputException("malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("expected a JSON object with \"pixels\", \"image\" or \"instances\"");
        }
        return root;
    }

    /**
     * The JSON forms of {@code /predict} in a request body: the common one, a single image as
     * {@code {"pixels": [...]}}, read straight into floats ({@link #plainPixels}), any other form
     * through the tree ({@link #read}, {@link #parse}).
     */
    static Parsed parse(byte[] body, int maxImages, Function<byte[], MnistInput> decodeImage) {
        float[] pixels = plainPixels(body);
        if (pixels != null) {
            return new Parsed(List.of(MnistInput.ofUnit(pixels)), false);
        }
        return parse(read(body), maxImages, decodeImage);
    }

    /**
     * The pixels of a body that is exactly {@code {"pixels": [...]}}, 784 numbers or 28 rows of 28,
     * all in 0–255, read token by token into the unit image: no tree, no boxed numbers. It decides
     * nothing on its own: any other body, or anything it would refuse (a missing or extra field,
     * a wrong count, a value out of range, malformed JSON), gives null, and the tree path reads the
     * body again and answers exactly as it always has, error messages included. What it accepts, the
     * tree path accepts with the same floats.
     *
     * @return the unit image (784 values in [0, 1]), or null
     */
    static float[] plainPixels(byte[] body) {
        try (JsonParser parser = MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.PROPERTY_NAME
                    || !"pixels".equals(parser.currentName()) || parser.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            float[] pixels = new float[InputContract.PIXELS];
            JsonToken first = parser.nextToken();
            int filled;
            if (first == JsonToken.START_ARRAY) { // 28 rows of 28
                filled = 0;
                for (int row = 0; row < InputContract.SIZE; row++) {
                    if (row > 0 && parser.nextToken() != JsonToken.START_ARRAY) {
                        return null;
                    }
                    int end = filled + InputContract.SIZE;
                    filled = values(parser, parser.nextToken(), pixels, filled, end);
                    if (filled != end || parser.currentToken() != JsonToken.END_ARRAY) {
                        return null;
                    }
                }
                if (parser.nextToken() != JsonToken.END_ARRAY) {
                    return null;
                }
            } else {
                filled = values(parser, first, pixels, 0, InputContract.PIXELS);
                if (filled != InputContract.PIXELS || parser.currentToken() != JsonToken.END_ARRAY) {
                    return null;
                }
            }
            // Nothing may follow: no second field (the tree path decides which one counts), no trailing tokens.
            if (parser.nextToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
            return toUnit(pixels);
        } catch (JacksonException e) {
            return null;
        }
    }

    /**
     * Reads numbers from {@code token} on into {@code pixels[at..]} until a token that is not a number
     * in 0–255 (then the current token), at most up to {@code end}.
     *
     * @return the next index to fill; -1 if a value was out of range or not a plain number
     */
    private static int values(JsonParser parser, JsonToken token, float[] pixels, int at, int end) {
        while (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            if (at == end) {
                return -1;
            }
            double v;
            if (token == JsonToken.VALUE_NUMBER_INT) {
                if (parser.getNumberType() != JsonParser.NumberType.INT) {
                    return -1;
                }
                v = parser.getIntValue();
            } else {
                v = parser.getDoubleValue();
            }
            if (!(v >= 0 && v <= 255)) { // also refuses NaN and infinities
                return -1;
            }
            pixels[at++] = (float) v;
            token = parser.nextToken();
        }
        return at;
    }

    /** Values above 1 can only mean the 0–255 scale; otherwise they already are in [0, 1]. In place. */
    private static float[] toUnit(float[] pixels) {
        float max = 0;
        for (float pixel : pixels) {
            max = Math.max(max, pixel);
        }
        if (max > 1) {
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] /= 255f;
            }
        }
        return pixels;
    }

    /**
     * @param root a body {@link #read(byte[]) read} already
     * @param decodeImage turns base64-decoded bytes into a unit image (decode + preprocess)
     */
    static Parsed parse(JsonNode root, int maxImages, Function<byte[], MnistInput> decodeImage) {
        if (root.has("instances")) {
            JsonNode instances = root.get("instances");
            if (!instances.isArray() || instances.isEmpty()) {
                throw new InvalidInputException("\"instances\" must be a non-empty array");
            }
            if (instances.size() > maxImages) {
                throw new PayloadTooLargeException(instances.size() + " instances exceed the limit of " + maxImages
                        + " images per request");
            }
            List<MnistInput> images = new ArrayList<>(instances.size());
            for (int i = 0; i < instances.size(); i++) {
                images.add(one(instances.get(i), "instances[" + i + "]", decodeImage));
            }
            return new Parsed(images, true);
        }
        return new Parsed(List.of(one(root, "request", decodeImage)), false);
    }

    /**
     * The image of a body that must hold exactly one, as {@code {"image": "<base64>"}}: forms that
     * read one picture as a whole (a row of digits) have no use for 28×28 pixels or batches.
     */
    public static byte[] imageBytes(JsonNode root) {
        JsonNode image = root.get("image");
        if (image == null || !image.isString()) {
            throw new InvalidInputException("expected one image as {\"image\": \"<base64>\"}");
        }
        return base64(image.asString(), "request.image");
    }

    private static MnistInput one(JsonNode node, String where, Function<byte[], MnistInput> decodeImage) {
        if (node.isArray()) {
            return MnistInput.ofUnit(pixels(node, where));
        }
        if (node.isObject() && node.has("pixels")) {
            return MnistInput.ofUnit(pixels(node.get("pixels"), where + ".pixels"));
        }
        if (node.isObject() && node.has("image")) {
            JsonNode image = node.get("image");
            if (!image.isString()) {
                throw new InvalidInputException(where + ".image must be a base64 string");
            }
            return decodeImage.apply(base64(image.asString(), where + ".image"));
        }
        throw new InvalidInputException(where + " must have \"pixels\" (784 numbers) or \"image\" (base64)");
    }

    private static byte[] base64(String text, String where) {
        try {
            return decodeBase64(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(where + " is not valid base64: " + e.getMessage(), e);
        }
    }

    /**
     * A base64 image, or a {@code data:} URL of one, as bytes; line breaks are allowed.
     *
     * @throws IllegalArgumentException if it is not valid base64
     */
    public static byte[] decodeBase64(String text) {
        String data = text.startsWith("data:") && text.contains(",") ? text.substring(text.indexOf(',') + 1) : text;
        return Base64.getMimeDecoder().decode(data);
    }

    private static float[] pixels(JsonNode node, String where) {
        List<JsonNode> values = new ArrayList<>(InputContract.PIXELS);
        if (!node.isArray()) {
            throw new InvalidInputException(where + " must be an array of 784 numbers or 28 rows of 28");
        }
        if (node.size() == InputContract.SIZE && node.get(0).isArray()) {
            for (JsonNode row : node) {
                if (!row.isArray() || row.size() != InputContract.SIZE) {
                    throw new InvalidInputException(where + " must be 28 rows of 28 numbers");
                }
                row.forEach(values::add);
            }
        } else {
            node.forEach(values::add);
        }
        if (values.size() != InputContract.PIXELS) {
            throw new InvalidInputException(where + " has " + values.size() + " values; expected 784 (28×28)");
        }
        float[] pixels = new float[InputContract.PIXELS];
        for (int i = 0; i < pixels.length; i++) {
            JsonNode value = values.get(i);
            if (!value.isNumber()) {
                throw new InvalidInputException(where + "[" + i + "] is not a number");
            }
            double v = value.asDouble();
            if (!Double.isFinite(v) || v < 0 || v > 255) {
                throw new InvalidInputException(where + "[" + i + "] = " + value + " is outside 0–255");
            }
            pixels[i] = (float) v;
        }
        return toUnit(pixels);
    }
}
