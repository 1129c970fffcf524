package dev.digits.inference.v2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.regex.Pattern;

/**
 * The binary tensor data extension's body: a JSON object of {@value #HEADER} bytes, then the
 * binary tensors, back to back in the order of the tensors that declare {@code binary_data_size}.
 * Without the header the whole body is JSON.
 */
final class BinaryFraming {

    static final String HEADER = "Inference-Header-Content-Length";
    static final String EXTENSION = "binary_tensor_data";
    private static final Pattern LENGTH = Pattern.compile("[0-9]{1,10}");

    private BinaryFraming() {
    }

    /** How many leading bytes of {@code body} are the JSON object, from the header's value (null: absent). */
    static int jsonLength(byte[] body, String header) {
        if (header == null) {
            return body.length;
        }
        String value = header.trim();
        if (!LENGTH.matcher(value).matches()) {
            throw new InvalidInferenceRequestException(HEADER + " must be a number of bytes, not '"
                    + Texts.quoted(header) + "'");
        }
        long length = Long.parseLong(value);
        if (length > body.length) {
            throw new InvalidInferenceRequestException(HEADER + " says the JSON has " + length
                    + " bytes, but the whole body has " + body.length);
        }
        return (int) length;
    }

    /** The bytes after the JSON, little-endian as the extension defines (a view: nothing is copied). */
    static ByteBuffer binaryPart(byte[] body, int jsonLength) {
        return ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice().order(ByteOrder.LITTLE_ENDIAN);
    }
}
