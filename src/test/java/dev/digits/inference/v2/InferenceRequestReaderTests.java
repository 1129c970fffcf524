package dev.digits.inference.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.digits.support.MnistImages;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * The UINT8 JSON {@code data} of the {@code pixels} input is read into bytes without a JSON tree;
 * every other request, and every fault, goes through the tree as before.
 */
class InferenceRequestReaderTests {

    @Test
    void readsUint8JsonPixelsAsTheBytesTheyAre() {
        byte[] expected = new byte[784];
        System.arraycopy(MnistImages.test().pixels(), 0, expected, 0, 784);
        for (String data : new String[] {MnistImages.pixelsJson(0), nestedRows(0)}) {
            InferenceRequest request = read("{\"id\":\"a\",\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\","
                    + "\"shape\":[1,28,28],\"data\":" + data + "}],\"outputs\":[{\"name\":\"digit\"}]}");
            InferenceRequest.Input input = request.inputs().get(0);
            assertThat(input.data()).isNull();
            assertThat(bytes(input.binary())).containsExactly(expected);
            assertThat(input.shape()).containsExactly(1, 28, 28);
            assertThat(request.id()).isEqualTo("a");
            assertThat(request.outputs()).extracting(InferenceRequest.Output::name).containsExactly("digit");
        }
    }

    @Test
    void readsSeveralImagesAndFourDimensionalShapes() {
        String data = "[" + MnistImages.pixelsJson(0) + "," + MnistImages.pixelsJson(1) + "]";
        InferenceRequest.Input input = read("{\"inputs\":[{\"data\":" + data + ",\"shape\":[2,1,28,28],"
                + "\"datatype\":\"UINT8\",\"name\":\"pixels\"}]}").inputs().get(0);
        assertThat(input.binary().remaining()).isEqualTo(2 * 784);
        assertThat(input.shape()).containsExactly(2, 1, 28, 28);
    }

    @Test
    void leavesOtherTensorsAsJson() {
        // Values another datatype reads, another input, or a count the shape does not make: the tree decides.
        String[] requests = {
                "{\"inputs\":[{\"name\":\"pixels_fp32\",\"datatype\":\"FP32\",\"shape\":[1,28,28],\"data\":"
                        + MnistImages.pixelsJson(0).replaceAll("[0-9]+", "0") + "}]}",
                "{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[1,28,28],\"data\":[1,2,3]}]}",
                "{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[1,28,28],\"data\":"
                        + MnistImages.pixelsJson(0).replaceFirst("\\[0", "[1.5") + "}]}",
        };
        for (String request : requests) {
            InferenceRequest.Input input = read(request).inputs().get(0);
            assertThat(input.binary()).as(request.substring(0, 60)).isNull();
            assertThat(input.data()).isNotNull();
        }
    }

    @Test
    void reportsFaultsAsTheTreeDoes() {
        String pixels = MnistImages.pixelsJson(0);
        assertRefused("{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[1,28,28],\"data\":" + pixels
                + "}],\"inputs\":[]}", "malformed JSON");
        assertRefused("{\"inputs\":[{\"name\":\"pixels\",\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[1,28,28],"
                + "\"data\":" + pixels + "}]}", "malformed JSON");
        assertRefused("{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[1,28,28],\"data\":" + pixels
                + "}]} []", "malformed JSON");
        assertRefused("{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[1,28,28],\"data\":" + pixels
                + ",\"parameters\":{\"binary_data_size\":784}}]}", "has both \"data\" and binary_data_size");
        assertRefused("{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"uint8\",\"shape\":[1,28,28],\"data\":" + pixels
                + "}]}", ".datatype 'uint8' is not a datatype of the protocol");
        assertRefused("{\"id\":7,\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[1,28,28],\"data\":"
                + pixels + "}]}", "request.id must be a string");
        assertRefused("{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[1,-28,28],\"data\":" + pixels
                + "}]}", ".shape[1] must be a non-negative integer");
    }

    @Test
    void keepsBinaryTensorsAfterTheJson() {
        String header = "{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[1,28,28],"
                + "\"parameters\":{\"binary_data_size\":784}}]}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[json.length + 784];
        System.arraycopy(json, 0, body, 0, json.length);
        System.arraycopy(MnistImages.test().pixels(), 784, body, json.length, 784);
        InferenceRequest.Input input = InferenceRequestReader.read(body, String.valueOf(json.length)).inputs().get(0);
        assertThat(input.binary().remaining()).isEqualTo(784);
        assertThat(input.binary().get(0)).isEqualTo(MnistImages.test().pixels()[784]);
    }

    private static InferenceRequest read(String json) {
        return InferenceRequestReader.read(json.getBytes(StandardCharsets.UTF_8), null);
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(InvalidInferenceRequestException.class)
                .hasMessageContaining(message);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static String nestedRows(int image) {
        StringJoiner rows = new StringJoiner(",", "[", "]");
        for (int y = 0; y < 28; y++) {
            StringJoiner row = new StringJoiner(",", "[", "]");
            for (int x = 0; x < 28; x++) {
                row.add(String.valueOf(MnistImages.test().pixels()[image * 784 + y * 28 + x] & 0xff));
            }
            rows.add(row.toString());
        }
        return "[" + rows + "]";
    }
}
