package dev.digits.inference.v2;

import dev.digits.images.MnistInput;
import dev.digits.inference.ClientImages;
import dev.digits.inference.JsonImages;
import dev.digits.inference.InferenceProperties;
import dev.digits.model.InputContract;
import dev.digits.web.PayloadTooLargeException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Turns a request's input tensor into MNIST-like unit images (784 values in [0, 1], bright ink on
 * black), checking it against the model's {@link Signature}: one input, its name, datatype, shape,
 * element count and values. Image files get the same decoding and preprocessing as {@code /predict}.
 */
@Component
class InputTensors {

    private static final int PIXELS = InputContract.PIXELS;

    private final ClientImages images;
    private final int maxImages;

    InputTensors(ClientImages images, InferenceProperties properties) {
        this.images = images;
        this.maxImages = properties.maxImagesPerRequest();
    }

    /** The request's images, with what was found in each (raw pixels are measured on their 28×28 grid). */
    List<MnistInput> modelInputs(List<InferenceRequest.Input> inputs) {
        if (inputs.size() != 1) {
            throw new InvalidInferenceRequestException("model '" + Signature.MODEL + "' takes exactly one input, one of "
                    + Signature.names(Signature.INPUTS) + "; the request has " + inputs.size());
        }
        InferenceRequest.Input input = inputs.get(0);
        String where = "input '" + Texts.quoted(input.name()) + "'";
        Datatype expected = Signature.inputDatatype(input.name());
        if (expected == null) {
            throw new InvalidInferenceRequestException("model '" + Signature.MODEL + "' has no " + where
                    + "; its inputs are " + Signature.names(Signature.INPUTS));
        }
        if (input.datatype() != expected) {
            throw new InvalidInferenceRequestException(where + " must be " + expected + ", not " + input.datatype()
                    + "; the inputs are " + Signature.names(Signature.INPUTS));
        }
        int count = batchSize(input, where);
        if (count > maxImages) {
            throw new PayloadTooLargeException(count + " images exceed the limit of " + maxImages + " images per request");
        }
        return switch (input.name()) {
            case Signature.PIXELS -> measured(input.binary() != null ? uint8(input.binary(), count, where)
                    : pixels(input.data(), count, where, InputTensors::uint8Value));
            case Signature.PIXELS_FP32 -> measured(input.binary() != null ? fp32(input.binary(), count, where)
                    : pixels(input.data(), count, where, InputTensors::fp32Value));
            default -> input.binary() != null ? files(input.binary(), count, where) : files(input.data(), count, where);
        };
    }

    private static List<MnistInput> measured(List<float[]> units) {
        return units.stream().map(MnistInput::ofUnit).toList();
    }

    /** N from the shape: [N,28,28] or [N,1,28,28] for pixels, [N] for image files; N ≥ 1. */
    private static int batchSize(InferenceRequest.Input input, String where) {
        long[] shape = input.shape();
        boolean files = Signature.IMAGE.equals(input.name());
        long side = InputContract.SIZE;
        boolean fits = files ? shape.length == 1
                : shape.length == 3 && shape[1] == side && shape[2] == side
                || shape.length == 4 && shape[1] == InputContract.CHANNELS && shape[2] == side && shape[3] == side;
        if (!fits || shape[0] < 1) {
            throw new InvalidInferenceRequestException(where + " has shape " + Arrays.toString(shape) + "; expected "
                    + (files ? "[N]" : "[N,28,28] or [N,1,28,28]") + " with N ≥ 1");
        }
        return (int) Math.min(shape[0], Integer.MAX_VALUE);
    }

    /** Raw UINT8 pixels, 0–255, one byte each. */
    private static List<float[]> uint8(ByteBuffer data, int count, String where) {
        expectBytes(data, (long) count * PIXELS, where);
        List<float[]> units = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            float[] unit = new float[PIXELS];
            for (int i = 0; i < PIXELS; i++) {
                unit[i] = (data.get() & 0xff) / 255f;
            }
            units.add(unit);
        }
        return units;
    }

    /** FP32 pixels in [0, 1], four little-endian bytes each. */
    private static List<float[]> fp32(ByteBuffer data, int count, String where) {
        expectBytes(data, (long) count * PIXELS * Float.BYTES, where);
        List<float[]> units = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            float[] unit = new float[PIXELS];
            for (int i = 0; i < PIXELS; i++) {
                unit[i] = unitValue(data.getFloat(), where, n * PIXELS + i);
            }
            units.add(unit);
        }
        return units;
    }

    private static void expectBytes(ByteBuffer data, long expected, String where) {
        if (data.remaining() != expected) {
            throw new InvalidInferenceRequestException(where + " has " + InferenceRequestReader.BINARY_DATA_SIZE + " "
                    + data.remaining() + ", but its shape and datatype make " + expected + " bytes");
        }
    }

    /** How one JSON element becomes a unit pixel; {@code index} is its position in the flat tensor. */
    private interface PixelValue {
        float of(JsonNode value, String where, int index);
    }

    private static float uint8Value(JsonNode value, String where, int index) {
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0 || value.asInt() > 255) {
            throw new InvalidInferenceRequestException(where + " data[" + index + "] = " + Texts.quoted(value.toString())
                    + " is not a UINT8 (an integer in 0–255)");
        }
        return value.asInt() / 255f;
    }

    private static float fp32Value(JsonNode value, String where, int index) {
        if (!value.isNumber()) {
            throw new InvalidInferenceRequestException(where + " data[" + index + "] = "
                    + Texts.quoted(value.toString()) + " is not a number");
        }
        return unitValue((float) value.asDouble(), where, index);
    }

    private static float unitValue(float value, String where, int index) {
        if (!(value >= 0 && value <= 1)) { // also refuses NaN
            throw new InvalidInferenceRequestException(where + " data[" + index + "] = " + value + " is outside [0, 1]");
        }
        return value;
    }

    /** JSON pixels, flat or nested as the shape (the protocol allows both), row-major. */
    private static List<float[]> pixels(JsonNode data, int count, String where, PixelValue value) {
        float[] flat = new float[count * PIXELS];
        int filled = flatten(data, flat, 0, where, value);
        if (filled != flat.length) {
            throw new InvalidInferenceRequestException(where + " has " + filled + " values in \"data\", but its shape "
                    + "makes " + flat.length);
        }
        List<float[]> units = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            units.add(Arrays.copyOfRange(flat, n * PIXELS, (n + 1) * PIXELS));
        }
        return units;
    }

    /** Writes the elements of a (nested) JSON array into {@code flat} from {@code at}; returns the next index. */
    private static int flatten(JsonNode node, float[] flat, int at, String where, PixelValue value) {
        if (!node.isArray()) {
            if (at >= flat.length) {
                throw new InvalidInferenceRequestException(where + " has more values in \"data\" than its shape makes ("
                        + flat.length + ")");
            }
            flat[at] = value.of(node, where, at);
            return at + 1;
        }
        for (JsonNode element : node) {
            at = flatten(element, flat, at, where, value);
        }
        return at;
    }

    /** Binary BYTES: each element is a 4-byte little-endian length, then that many bytes. */
    private List<MnistInput> files(ByteBuffer data, int count, String where) {
        List<MnistInput> units = new ArrayList<>(count);
        while (data.hasRemaining()) {
            if (units.size() == count) {
                throw new InvalidInferenceRequestException(where + " has more than the " + count
                        + " BYTES elements its shape makes");
            }
            if (data.remaining() < Integer.BYTES) {
                throw new InvalidInferenceRequestException(where + " element " + units.size()
                        + " is cut off in its 4-byte length");
            }
            long length = Integer.toUnsignedLong(data.getInt());
            if (length > data.remaining()) {
                throw new InvalidInferenceRequestException(where + " element " + units.size() + " declares " + length
                        + " bytes, but only " + data.remaining() + " are left");
            }
            byte[] file = new byte[(int) length];
            data.get(file);
            units.add(images.read(file));
        }
        if (units.size() != count) {
            throw new InvalidInferenceRequestException(where + " has " + units.size() + " BYTES elements, but its shape "
                    + "makes " + count);
        }
        return units;
    }

    /** JSON BYTES: each element is a string holding the file in base64 (a data URL works too). */
    private List<MnistInput> files(JsonNode data, int count, String where) {
        List<JsonNode> elements = new ArrayList<>(count);
        collect(data, elements, count, where);
        if (elements.size() != count) {
            throw new InvalidInferenceRequestException(where + " has " + elements.size() + " values in \"data\", but its "
                    + "shape makes " + count);
        }
        List<MnistInput> units = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            JsonNode element = elements.get(i);
            if (!element.isString()) {
                throw new InvalidInferenceRequestException(where + " data[" + i + "] must be a string: an image file "
                        + "in base64");
            }
            units.add(images.read(base64(element.asString(), where + " data[" + i + "]")));
        }
        return units;
    }

    private static void collect(JsonNode node, List<JsonNode> elements, int count, String where) {
        if (!node.isArray()) {
            if (elements.size() == count) {
                throw new InvalidInferenceRequestException(where + " has more values in \"data\" than its shape makes ("
                        + count + ")");
            }
            elements.add(node);
            return;
        }
        for (JsonNode element : node) {
            collect(element, elements, count, where);
        }
    }

    private static byte[] base64(String text, String where) {
        try {
            return JsonImages.decodeBase64(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInferenceRequestException(where + " is not valid base64: " + e.getMessage(), e);
        }
    }
}
