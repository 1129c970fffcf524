package dev.digits.inference.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.digits.support.Await;
import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceTest;
import dev.digits.support.Zips;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Conformance of the Open Inference Protocol (KServe v2) REST API and its binary tensor data
 * extension: every endpoint, every input datatype in JSON and binary, version and alias paths,
 * and every error case, over real HTTP.
 */
class OpenInferenceApiTests extends ServiceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    ApplicationContext context;
    private static final String INFER = "/v2/models/digits/infer";
    private static final String HEADER = "Inference-Header-Content-Length";
    // MNIST test digits 0..3 are 7, 2, 1, 0.
    private static final int[] LABELS = {7, 2, 1, 0};

    // ---- health and metadata

    @Test
    void serverMetadataNamesTheServerAndListsTheBinaryExtension() {
        for (String path : List.of("/v2", "/v2/")) {
            Http.Response response = http.get(path);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).startsWith("application/json");
            JsonNode server = response.json();
            assertThat(server.get("name").asString()).isEqualTo("digits");
            assertThat(server.get("version").asString()).isNotBlank();
            assertThat(server.get("extensions")).extracting(JsonNode::asString).containsExactly("binary_tensor_data");
        }
    }

    @Test
    void serverIsLiveAndReadyWithEmptyBodies() {
        for (String path : List.of("/v2/health/live", "/v2/health/ready", "/v2/models/digits/ready")) {
            Http.Response response = http.get(path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).isEmpty();
        }
    }

    @Test
    void readinessFollowsTheServiceAndLivenessDoesNot() {
        // What graceful shutdown does first: the service stops taking traffic.
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        try {
            assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(503);
            for (String path : List.of("/v2/health/ready", "/v2/models/digits/ready", "/v2/models/digits/versions/1/ready")) {
                Http.Response response = http.get(path);
                assertThat(response.status()).as(path).isEqualTo(400);
                assertThat(response.body()).as(path).isEmpty();
            }
            assertThat(http.get("/v2/health/live").status()).isEqualTo(200);
        } finally {
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
        }
        assertThat(http.get("/v2/health/ready").status()).isEqualTo(200);
    }

    @Test
    void aVersionOrAliasIsReadyAndAnUnknownOneIsNotFound() {
        assertThat(http.get("/v2/models/digits/versions/1/ready").status()).isEqualTo(200);
        assertThat(http.get("/v2/models/digits/versions/production/ready").status()).isEqualTo(200);
        assertError(http.get("/v2/models/digits/versions/999/ready"), 404, "999");
        assertError(http.get("/v2/models/digits/versions/no-such-alias/ready"), 404, "no-such-alias");
        assertError(http.get("/v2/models/mnist/ready"), 404, "mnist");
    }

    @Test
    void modelMetadataDescribesTheInputsAndOutputs() {
        Http.Response response = http.get("/v2/models/digits");
        assertThat(response.status()).isEqualTo(200);
        JsonNode model = response.json();
        assertThat(model.get("name").asString()).isEqualTo("digits");
        assertThat(model.get("platform").asString()).isEqualTo("pytorch_djl");
        assertThat(model.get("versions")).extracting(JsonNode::asString).contains("1", "production");
        assertThat(tensors(model.get("inputs"))).containsExactly(
                "pixels UINT8 [-1,28,28]", "pixels_fp32 FP32 [-1,28,28]", "image BYTES [-1]");
        assertThat(tensors(model.get("outputs"))).containsExactly(
                "probabilities FP32 [-1,10]", "digit INT64 [-1]", "logits FP32 [-1,10]");
    }

    @Test
    void versionedMetadataNamesTheVersionAnAliasPointsAt() {
        String production = production();
        assertThat(http.get("/v2/models/digits/versions/production").json().get("versions"))
                .extracting(JsonNode::asString).containsExactly(production);
        assertThat(http.get("/v2/models/digits/versions/1").json().get("versions"))
                .extracting(JsonNode::asString).containsExactly("1");
        assertThat(http.get("/v2/models/digits/versions/1").json().get("inputs")).hasSize(3);
    }

    @Test
    void anUnknownModelOrVersionIsNotFound() {
        assertError(http.get("/v2/models/mnist"), 404, "mnist");
        assertError(http.get("/v2/models/Digits"), 404, "Digits"); // names are case-sensitive
        assertError(http.get("/v2/models/digits/versions/999"), 404, "999");
        assertError(postJson("/v2/models/mnist/infer", uint8Request(0)), 404, "mnist");
        assertError(postJson("/v2/models/digits/versions/999/infer", uint8Request(0)), 404, "999");
        assertError(postJson("/v2/models/digits/versions/v1/infer", uint8Request(0)), 404, "v1");
    }

    // ---- inference with JSON tensors

    @Test
    void infersUint8PixelsInJsonFlatOrNestedWithEveryOutput() {
        Http.Response response = postJson(INFER, """
                {"id": "request-42", "inputs": [{"name": "pixels", "datatype": "UINT8", "shape": [2, 28, 28],
                 "data": %s}]}""".formatted(uint8Data(0, 1)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.header(HEADER)).isNull();
        JsonNode answer = response.json();
        assertThat(answer.get("model_name").asString()).isEqualTo("digits");
        assertThat(answer.get("model_version").asString()).isEqualTo(production());
        assertThat(answer.get("id").asString()).isEqualTo("request-42");
        assertThat(answer.get("outputs")).extracting(o -> o.get("name").asString())
                .containsExactly("probabilities", "digit", "logits");
        assertDigits(answer, 7, 2);
        JsonNode probabilities = output(answer, "probabilities");
        assertThat(probabilities.get("datatype").asString()).isEqualTo("FP32");
        assertThat(shape(probabilities)).containsExactly(2L, 10L);
        assertThat(sum(probabilities.get("data"), 0, 10)).isCloseTo(1.0, offset(1e-5));
        assertThat(sum(probabilities.get("data"), 10, 20)).isCloseTo(1.0, offset(1e-5));
        JsonNode logits = output(answer, "logits");
        assertThat(logits.get("datatype").asString()).isEqualTo("FP32");
        assertThat(shape(logits)).containsExactly(2L, 10L);
        assertThat(argmax(logits.get("data"), 0)).isEqualTo(7);

        // The same images nested as the shape, and as [N,1,28,28].
        Http.Response nested = postJson(INFER, """
                {"inputs": [{"name": "pixels", "datatype": "UINT8", "shape": [2, 1, 28, 28], "data": [%s, %s]}]}"""
                .formatted(nestedUint8(0), nestedUint8(1)));
        assertThat(nested.status()).as(nested.body()).isEqualTo(200);
        assertThat(nested.json().has("id")).isFalse();
        JsonNode flat = output(answer, "probabilities").get("data");
        JsonNode same = output(nested.json(), "probabilities").get("data");
        assertThat(same).hasSize(20);
        for (int i = 0; i < 20; i++) { // equal up to the engine's float rounding, which depends on the thread
            assertThat(same.get(i).asDouble()).isCloseTo(flat.get(i).asDouble(), offset(1e-6));
        }
    }

    @Test
    void infersFp32PixelsInJson() {
        Http.Response response = postJson(INFER, """
                {"inputs": [{"name": "pixels_fp32", "datatype": "FP32", "shape": [1, 28, 28], "data": [%s]}],
                 "outputs": [{"name": "digit"}]}""".formatted(MnistImages.nestedUnitPixelsJson(2)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("outputs")).hasSize(1);
        assertDigits(response.json(), 1);
    }

    @Test
    void infersBase64ImageFilesInJsonLikePredict() {
        String png = Base64.getEncoder().encodeToString(MnistImages.file(3, "png", 4));
        String jpeg = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(MnistImages.file(0, "jpeg", 3));
        Http.Response response = postJson(INFER, """
                {"inputs": [{"name": "image", "datatype": "BYTES", "shape": [2], "data": ["%s", "%s"]}]}"""
                .formatted(png, jpeg));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertDigits(response.json(), 0, 7);

        JsonNode predicted = http.post("/predict", "image/png", MnistImages.file(3, "png", 4)).json();
        JsonNode probabilities = output(response.json(), "probabilities").get("data");
        for (int c = 0; c < 10; c++) {
            assertThat(probabilities.get(c).asDouble()).isCloseTo(predicted.get("probabilities").get(c).asDouble(),
                    offset(1e-5));
        }
    }

    @Test
    void answersOnlyTheOutputsAskedForInTheirOrder() {
        Http.Response response = postJson(INFER, """
                {"inputs": [{"name": "pixels", "datatype": "UINT8", "shape": [1, 28, 28], "data": %s}],
                 "outputs": [{"name": "logits"}, {"name": "digit"}]}""".formatted(uint8Data(0)));
        assertThat(response.json().get("outputs")).extracting(o -> o.get("name").asString())
                .containsExactly("logits", "digit");
        JsonNode digit = output(response.json(), "digit");
        assertThat(digit.get("datatype").asString()).isEqualTo("INT64");
        assertThat(shape(digit)).containsExactly(1L);
    }

    @Test
    void answersByVersionNumberAndByAlias() {
        String production = production();
        for (String version : List.of("1", "production", production)) {
            Http.Response response = postJson("/v2/models/digits/versions/" + version + "/infer", uint8Request(0));
            assertThat(response.status()).as(version + ": " + response.body()).isEqualTo(200);
            assertThat(response.json().get("model_version").asString())
                    .isEqualTo(version.equals("production") ? production : version);
            assertDigits(response.json(), 7);
        }
    }

    @Test
    void answersMinusOneWhereTheModelAbstains() {
        // A version whose calibration rejects everything: a hot temperature flattens the softmax below the threshold.
        Map<String, byte[]> archive = Zips.entries(http.get("/models/1/download").raw().body());
        ObjectNode metadata = (ObjectNode) JSON.readTree(archive.get("model.json"));
        metadata.set("calibration", JSON.readTree("{\"temperature\": 1000, \"threshold\": 0.5, \"score\": \"max-softmax\"}"));
        archive.put("model.json", JSON.writeValueAsBytes(metadata));
        Http.Response imported = http.post("/models", "application/zip", Zips.of(archive));
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        String refusing = imported.json().get("version").asString();

        Http.Response response = postJson("/v2/models/digits/versions/" + refusing + "/infer", uint8Request(0, 1));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertDigits(response.json(), -1, -1);
        JsonNode predicted = http.postJson("/predict?model=" + refusing, "{\"pixels\":" + MnistImages.pixelsJson(0) + "}")
                .json();
        assertThat(predicted.get("digit").isNull()).isTrue();
        assertThat(predicted.get("reason").asString()).isEqualTo("not-a-digit");
        assertThat(argmax(output(response.json(), "logits").get("data"), 0)).isEqualTo(7);
    }

    @Test
    void answersMinusOneForABlankImageAsPredictDoes() {
        String blank = "[" + "0,".repeat(783) + "0]";
        String data = uint8Data(0);
        Http.Response response = postJson("/v2/models/digits/infer", pixelsRequest("UINT8", "[2, 28, 28]",
                "[" + blank.substring(1, blank.length() - 1) + "," + data.substring(1)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertDigits(response.json(), -1, 7);
    }

    // ---- inference with binary tensors

    @Test
    void infersBinaryUint8PixelsAndAnswersInBinary() {
        byte[] pixels = Arrays.copyOf(MnistImages.test().pixels(), 4 * 784);
        String json = """
                {"inputs": [{"name": "pixels", "datatype": "UINT8", "shape": [4, 28, 28],
                 "parameters": {"binary_data_size": %d}}], "parameters": {"binary_data_output": true}}"""
                .formatted(pixels.length);
        Http.Response response = postBinary(INFER, json, pixels);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/octet-stream");

        Framed answer = framed(response);
        assertThat(answer.json().get("outputs")).allSatisfy(output -> assertThat(output.has("data")).isFalse());
        assertThat(answer.json().get("outputs")).extracting(o -> o.at("/parameters/binary_data_size").asInt())
                .containsExactly(4 * 10 * 4, 4 * 8, 4 * 10 * 4);
        assertThat(answer.binary().remaining()).isEqualTo(160 + 32 + 160);
        float[] probabilities = new float[40];
        answer.binary().asFloatBuffer().get(probabilities);
        answer.binary().position(160);
        long[] digits = new long[4];
        answer.binary().asLongBuffer().get(digits);
        assertThat(digits).containsExactly(7, 2, 1, 0);
        for (int i = 0; i < 4; i++) {
            assertThat(argmax(probabilities, i * 10)).isEqualTo(LABELS[i]);
        }

        // The same request in JSON answers the same numbers, up to the engine's float rounding (which
        // differs slightly between a batch on a request thread and one on a worker).
        Http.Response same = postJson(INFER, uint8Request(0, 1, 2, 3));
        JsonNode data = output(same.json(), "probabilities").get("data");
        for (int i = 0; i < 40; i++) {
            assertThat((double) probabilities[i]).isCloseTo(data.get(i).asDouble(), offset(1e-6));
        }
    }

    @Test
    void infersBinaryFp32PixelsWithOneOutputBinaryAndOneInJson() {
        ByteBuffer fp32 = ByteBuffer.allocate(784 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 784; i++) {
            fp32.putFloat((MnistImages.test().pixels()[784 + i] & 0xff) / 255f);
        }
        String json = """
                {"inputs": [{"name": "pixels_fp32", "datatype": "FP32", "shape": [1, 1, 28, 28],
                 "parameters": {"binary_data_size": 3136}}],
                 "outputs": [{"name": "digit"}, {"name": "probabilities", "parameters": {"binary_data": true}}]}""";
        Framed answer = framed(postBinary(INFER, json, fp32.array()));
        assertDigits(answer.json(), 2);
        assertThat(output(answer.json(), "probabilities").at("/parameters/binary_data_size").asInt()).isEqualTo(40);
        assertThat(answer.binary().remaining()).isEqualTo(40);
        float[] probabilities = new float[10];
        answer.binary().asFloatBuffer().get(probabilities);
        assertThat(argmax(probabilities, 0)).isEqualTo(2);
    }

    @Test
    void infersBinaryImageFilesAndBinaryDataFalseOverridesTheRequest() {
        byte[] png = MnistImages.file(1, "png", 3);
        byte[] gif = MnistImages.file(2, "gif", 2);
        ByteBuffer bytes = ByteBuffer.allocate(8 + png.length + gif.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(png.length).put(png).putInt(gif.length).put(gif);
        String json = """
                {"inputs": [{"name": "image", "datatype": "BYTES", "shape": [2],
                 "parameters": {"binary_data_size": %d}}], "parameters": {"binary_data_output": true},
                 "outputs": [{"name": "digit", "parameters": {"binary_data": false}}]}""".formatted(bytes.capacity());
        Http.Response response = postBinary(INFER, json, bytes.array());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json"); // nothing binary in the answer
        assertDigits(response.json(), 2, 1);
    }

    @Test
    void aBinaryBodyWithoutBinaryTensorsIsJustItsJson() {
        String json = uint8Request(3);
        Http.Response response = postBinary(INFER, json);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertDigits(response.json(), 0);
    }

    // ---- framing that lies

    @Test
    void refusesAHeaderLengthThatLies() {
        byte[] pixels = Arrays.copyOf(MnistImages.test().pixels(), 784);
        String json = """
                {"inputs": [{"name": "pixels", "datatype": "UINT8", "shape": [1, 28, 28],
                 "parameters": {"binary_data_size": 784}}]}""";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        byte[] body = concat(header, pixels);

        // Longer than the whole body.
        assertError(post(INFER, body, String.valueOf(body.length + 1)), 400, HEADER);
        // Longer than the JSON: part of the pixels is read as JSON.
        assertError(post(INFER, body, String.valueOf(header.length + 10)), 400, "JSON");
        // Shorter than the JSON: the JSON is cut off.
        assertError(post(INFER, body, String.valueOf(header.length - 10)), 400, "JSON");
        // Not a number of bytes.
        for (String wrong : List.of("abc", "-5", "12.5", "", "99999999999")) {
            assertError(post(INFER, body, wrong), 400, HEADER);
        }
        // Binary data without the header: the body is not JSON.
        assertError(post(INFER, body, null), 400, "JSON");
        // The honest header works.
        assertThat(post(INFER, body, String.valueOf(header.length)).status()).isEqualTo(200);
    }

    @Test
    void refusesBinarySizesThatDoNotAddUp() {
        byte[] pixels = Arrays.copyOf(MnistImages.test().pixels(), 784);
        // binary_data_size larger than what follows the JSON.
        assertError(postBinary(INFER, binaryUint8Json(1, 785), pixels), 400, "binary_data_size");
        // Smaller: bytes are left over.
        assertError(postBinary(INFER, binaryUint8Json(1, 700), pixels), 400, "bytes follow the JSON");
        // Consistent with the body but not with the shape.
        assertError(postBinary(INFER, binaryUint8Json(2, 784), pixels), 400, "1568 bytes");
        // Both data and binary_data_size.
        assertError(postBinary(INFER, """
                {"inputs": [{"name": "pixels", "datatype": "UINT8", "shape": [1, 28, 28], "data": [1],
                 "parameters": {"binary_data_size": 784}}]}""", pixels), 400, "both");
        assertError(postBinary(INFER, """
                {"inputs": [{"name": "pixels", "datatype": "UINT8", "shape": [1, 28, 28],
                 "parameters": {"binary_data_size": -1}}]}""", pixels), 400, "binary_data_size");
    }

    @Test
    void refusesBinaryImageElementsThatDoNotAddUp() {
        byte[] png = MnistImages.file(1, "png", 1);
        ByteBuffer cut = ByteBuffer.allocate(4 + png.length).order(ByteOrder.LITTLE_ENDIAN);
        cut.putInt(png.length + 5).put(png); // declares more than it has
        assertError(postBinary(INFER, binaryImageJson(1, cut.capacity()), cut.array()), 400, "declares");
        ByteBuffer two = ByteBuffer.allocate(8 + 2 * png.length).order(ByteOrder.LITTLE_ENDIAN);
        two.putInt(png.length).put(png).putInt(png.length).put(png);
        assertError(postBinary(INFER, binaryImageJson(1, two.capacity()), two.array()), 400, "more than");
        assertError(postBinary(INFER, binaryImageJson(3, two.capacity()), two.array()), 400, "2 BYTES elements");
        assertError(postBinary(INFER, binaryImageJson(1, 2), new byte[] {1, 0}), 400, "4-byte length");
        ByteBuffer notAnImage = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(4).putInt(42);
        assertError(postBinary(INFER, binaryImageJson(1, 8), notAnImage.array()), 400, null);
    }

    // ---- shapes, datatypes, values

    @Test
    void refusesShapesThatDoNotFit() {
        assertError(postJson(INFER, pixelsRequest("UINT8", "[1, 28, 27]", uint8Data(0))), 400, "shape");
        assertError(postJson(INFER, pixelsRequest("UINT8", "[28, 28]", uint8Data(0))), 400, "shape");
        assertError(postJson(INFER, pixelsRequest("UINT8", "[1, 3, 28, 28]", uint8Data(0))), 400, "shape");
        assertError(postJson(INFER, pixelsRequest("UINT8", "[0, 28, 28]", "[]")), 400, "N ≥ 1");
        assertError(postJson(INFER, pixelsRequest("UINT8", "[2, 28, 28]", uint8Data(0))), 400, "784 values");
        assertError(postJson(INFER, pixelsRequest("UINT8", "[1, 28, 28]", uint8Data(0, 1))), 400, "more values");
        assertError(postJson(INFER, pixelsRequest("UINT8", "[1, 28, -28]", uint8Data(0))), 400, "shape[2]");
        assertError(postJson(INFER, pixelsRequest("UINT8", "\"1x28x28\"", uint8Data(0))), 400, "shape");
        assertError(postJson(INFER, """
                {"inputs": [{"name": "image", "datatype": "BYTES", "shape": [1, 1], "data": ["AAAA"]}]}"""), 400,
                "[N]");
        assertError(postJson(INFER, """
                {"inputs": [{"name": "image", "datatype": "BYTES", "shape": [2], "data": ["AAAA"]}]}"""), 400,
                "shape makes 2");
    }

    @Test
    void refusesDatatypesThatDoNotFit() {
        assertError(postJson(INFER, """
                {"inputs": [{"name": "pixels", "datatype": "FP32", "shape": [1, 28, 28], "data": %s}]}"""
                .formatted(uint8Data(0))), 400, "must be UINT8, not FP32");
        assertError(postJson(INFER, """
                {"inputs": [{"name": "pixels_fp32", "datatype": "UINT8", "shape": [1, 28, 28], "data": %s}]}"""
                .formatted(uint8Data(0))), 400, "must be FP32, not UINT8");
        assertError(postJson(INFER, """
                {"inputs": [{"name": "image", "datatype": "UINT8", "shape": [1], "data": [1]}]}"""), 400,
                "must be BYTES");
        assertError(postJson(INFER, pixelsRequest("INT32", "[1, 28, 28]", uint8Data(0))), 400, "must be UINT8");
        assertError(postJson(INFER, pixelsRequest("uint8", "[1, 28, 28]", uint8Data(0))), 400, "not a datatype");
        assertError(postJson(INFER, pixelsRequest("FLOAT", "[1, 28, 28]", uint8Data(0))), 400, "not a datatype");
    }

    @Test
    void refusesValuesOutsideTheirDatatype() {
        String tail = "0,".repeat(783);
        assertError(postJson(INFER, pixelsRequest("UINT8", "[1, 28, 28]", "[" + tail + "256]")), 400, "UINT8");
        assertError(postJson(INFER, pixelsRequest("UINT8", "[1, 28, 28]", "[" + tail + "-1]")), 400, "UINT8");
        assertError(postJson(INFER, pixelsRequest("UINT8", "[1, 28, 28]", "[" + tail + "0.5]")), 400, "UINT8");
        assertError(postJson(INFER, pixelsRequest("UINT8", "[1, 28, 28]", "[" + tail + "\"7\"]")), 400, "UINT8");
        assertError(postJson(INFER, """
                {"inputs": [{"name": "pixels_fp32", "datatype": "FP32", "shape": [1, 28, 28], "data": [%s1.5]}]}"""
                .formatted(tail)), 400, "outside [0, 1]");
        assertError(postJson(INFER, """
                {"inputs": [{"name": "pixels_fp32", "datatype": "FP32", "shape": [1, 28, 28], "data": [%strue]}]}"""
                .formatted(tail)), 400, "not a number");
        ByteBuffer nan = ByteBuffer.allocate(784 * 4).order(ByteOrder.LITTLE_ENDIAN);
        nan.putFloat(100 * 4, Float.NaN);
        assertError(postBinary(INFER, """
                {"inputs": [{"name": "pixels_fp32", "datatype": "FP32", "shape": [1, 28, 28],
                 "parameters": {"binary_data_size": 3136}}]}""", nan.array()), 400, "data[100] = NaN");
        assertError(postJson(INFER, """
                {"inputs": [{"name": "image", "datatype": "BYTES", "shape": [1], "data": ["%%%%not base64"]}]}"""),
                400, "base64");
        assertError(postJson(INFER, """
                {"inputs": [{"name": "image", "datatype": "BYTES", "shape": [1], "data": [7]}]}"""), 400, "string");
        assertError(postJson(INFER, """
                {"inputs": [{"name": "image", "datatype": "BYTES", "shape": [1], "data": ["bm90IGFuIGltYWdl"]}]}"""),
                400, null);
    }

    @Test
    void refusesRequestsThatAreNotTheModelsSignature() {
        assertError(postJson(INFER, """
                {"inputs": [{"name": "input0", "datatype": "UINT8", "shape": [1, 28, 28], "data": %s}]}"""
                .formatted(uint8Data(0))), 400, "no input 'input0'");
        assertError(postJson(INFER, """
                {"inputs": [{"name": "pixels", "datatype": "UINT8", "shape": [1, 28, 28], "data": %1$s},
                            {"name": "pixels", "datatype": "UINT8", "shape": [1, 28, 28], "data": %1$s}]}"""
                .formatted(uint8Data(0))), 400, "exactly one input");
        assertError(postJson(INFER, """
                {"inputs": [{"name": "pixels", "datatype": "UINT8", "shape": [1, 28, 28], "data": %s}],
                 "outputs": [{"name": "class"}]}""".formatted(uint8Data(0))), 400, "no output 'class'");
        assertError(postJson(INFER, """
                {"inputs": [{"name": "pixels", "datatype": "UINT8", "shape": [1, 28, 28], "data": %s}],
                 "outputs": [{"name": "digit"}, {"name": "digit"}]}""".formatted(uint8Data(0))), 400, "twice");
        assertError(postJson(INFER, """
                {"inputs": [{"name": "pixels", "datatype": "UINT8", "shape": [1, 28, 28], "data": %s}],
                 "parameters": {"binary_data_output": "yes"}}""".formatted(uint8Data(0))), 400, "true or false");
    }

    @Test
    void refusesMalformedRequests() {
        assertError(postJson(INFER, "{\"inputs\": ["), 400, "malformed JSON");
        assertError(postJson(INFER, "[]"), 400, "JSON object");
        assertError(postJson(INFER, "{}"), 400, "\"inputs\"");
        assertError(postJson(INFER, "{\"inputs\": []}"), 400, "\"inputs\"");
        assertError(postJson(INFER, "{\"inputs\": [{\"name\": \"pixels\"}]}"), 400, "datatype");
        assertError(postJson(INFER, "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\", "
                + "\"shape\": [1, 28, 28]}]}"), 400, "neither");
        assertError(postJson(INFER, "{\"id\": 42, \"inputs\": []}"), 400, "id");
        assertError(postJson(INFER, uint8Request(0) + " trailing"), 400, "malformed JSON");
        assertError(postJson(INFER, "{\"inputs\": 1, \"inputs\": 2}"), 400, "malformed JSON");
        assertError(postJson(INFER, "{\"inputs\":" + "[".repeat(100) + "]".repeat(100) + "}"), 400, "malformed JSON");
    }

    @Test
    void enforcesTheRequestLimits() {
        String pixels = uint8Data(new int[65]);
        assertError(postJson(INFER, pixelsRequest("UINT8", "[65, 28, 28]", pixels)), 413, "65 images");
        assertError(post(INFER, new byte[11 * 1024 * 1024], null), 413, null);
    }

    @Test
    void everyErrorUnderV2IsTheProtocolsErrorObject() {
        assertError(http.get("/v2/no/such/path"), 404, null);
        assertError(http.get(INFER), 405, null);
        assertThat(http.get(INFER).header("Allow")).contains("POST");
        assertError(http.post("/v2/health/live"), 405, null);
        assertError(new Http(port, "not-a-key").get("/v2/models/digits"), 401, "API key");
    }

    @Test
    void countsInferRequestsUnderTheV2Protocol() {
        String metric = "/actuator/metrics/digits.predict.requests?tag=protocol:v2&tag=outcome:success";
        double before = count(metric);
        assertThat(postJson(INFER, uint8Request(0)).status()).isEqualTo(200);
        // The filter counts once the response is on its way, so the count may trail the answer a little.
        Await.until(() -> count(metric), count -> count == before + 1, Duration.ofSeconds(10), "counted");
        String rest = "/actuator/metrics/digits.predict.requests?tag=protocol:rest";
        double restBefore = count(rest);
        assertThat(http.postJson("/predict", "{\"pixels\":" + MnistImages.pixelsJson(0) + "}").status()).isEqualTo(200);
        Await.until(() -> count(rest), count -> count == restBefore + 1, Duration.ofSeconds(10), "counted");
        assertThat(count(metric)).isEqualTo(before + 1);
    }

    // ---- helpers

    private Http.Response postJson(String path, String json) {
        return http.post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** A binary-extension body: the JSON, then the tensors, with an honest header length. */
    private Http.Response postBinary(String path, String json, byte[]... tensors) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        byte[] body = header;
        for (byte[] tensor : tensors) {
            body = concat(body, tensor);
        }
        return post(path, body, String.valueOf(header.length));
    }

    /** @param headerLength the Inference-Header-Content-Length value, or null to send none */
    private Http.Response post(String path, byte[] body, String headerLength) {
        return headerLength == null ? http.post(path, "application/octet-stream", body)
                : http.post(path, "application/octet-stream", body, HEADER, headerLength);
    }

    private record Framed(JsonNode json, ByteBuffer binary) {
    }

    private static Framed framed(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        byte[] body = response.raw().body();
        int jsonLength = Integer.parseInt(response.header(HEADER));
        return new Framed(JSON.readTree(Arrays.copyOf(body, jsonLength)),
                ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    private static void assertError(Http.Response response, int status, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        JsonNode error = response.json();
        assertThat(error.propertyNames()).containsExactly("error");
        assertThat(error.get("error").asString()).isNotBlank();
        if (messagePart != null) {
            assertThat(error.get("error").asString()).contains(messagePart);
        }
    }

    private String production() {
        return http.get("/models").json().get("production").asString();
    }

    private static void assertDigits(JsonNode answer, long... digits) {
        JsonNode digit = output(answer, "digit");
        assertThat(digit.get("data")).extracting(JsonNode::asLong)
                .containsExactly(Arrays.stream(digits).boxed().toArray(Long[]::new));
    }

    private static JsonNode output(JsonNode answer, String name) {
        for (JsonNode output : answer.get("outputs")) {
            if (output.get("name").asString().equals(name)) {
                return output;
            }
        }
        throw new AssertionError("no output " + name + " in " + answer);
    }

    private static List<Long> shape(JsonNode tensor) {
        return tensor.get("shape").valueStream().map(JsonNode::asLong).toList();
    }

    private static List<String> tensors(JsonNode tensors) {
        return tensors.valueStream().map(t -> t.get("name").asString() + " " + t.get("datatype").asString() + " "
                + t.get("shape").toString()).toList();
    }

    private static double sum(JsonNode values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values.get(i).asDouble();
        }
        return sum;
    }

    private static int argmax(JsonNode values, int offset) {
        int best = 0;
        for (int c = 1; c < 10; c++) {
            if (values.get(offset + c).asDouble() > values.get(offset + best).asDouble()) {
                best = c;
            }
        }
        return best;
    }

    private static int argmax(float[] values, int offset) {
        int best = 0;
        for (int c = 1; c < 10; c++) {
            if (values[offset + c] > values[offset + best]) {
                best = c;
            }
        }
        return best;
    }

    /** A counter's value from the actuator; 0 before it exists. */
    private double count(String metric) {
        Http.Response response = http.get(metric);
        return response.status() == 404 ? 0 : response.json().get("measurements").get(0).get("value").asDouble();
    }

    private static String uint8Request(int... indexes) {
        return pixelsRequest("UINT8", "[" + indexes.length + ", 28, 28]", uint8Data(indexes));
    }

    private static String pixelsRequest(String datatype, String shape, String data) {
        return """
                {"inputs": [{"name": "pixels", "datatype": "%s", "shape": %s, "data": %s}]}"""
                .formatted(datatype, shape, data);
    }

    private static String binaryUint8Json(int n, long size) {
        return """
                {"inputs": [{"name": "pixels", "datatype": "UINT8", "shape": [%d, 28, 28],
                 "parameters": {"binary_data_size": %d}}]}""".formatted(n, size);
    }

    private static String binaryImageJson(int n, long size) {
        return """
                {"inputs": [{"name": "image", "datatype": "BYTES", "shape": [%d],
                 "parameters": {"binary_data_size": %d}}]}""".formatted(n, size);
    }

    /** MNIST test digits as one flat JSON array of 0–255 values. */
    private static String uint8Data(int... indexes) {
        StringJoiner values = new StringJoiner(",", "[", "]");
        for (int index : indexes) {
            String one = MnistImages.pixelsJson(index);
            values.add(one.substring(1, one.length() - 1));
        }
        return values.toString();
    }

    /** One MNIST test digit as [1][28][28] nested JSON rows of 0–255 values. */
    private static String nestedUint8(int index) {
        byte[] pixels = MnistImages.test().pixels();
        StringJoiner rows = new StringJoiner(",", "[[", "]]");
        for (int y = 0; y < 28; y++) {
            StringJoiner row = new StringJoiner(",", "[", "]");
            for (int x = 0; x < 28; x++) {
                row.add(String.valueOf(pixels[index * 784 + y * 28 + x] & 0xff));
            }
            rows.add(row.toString());
        }
        return rows.toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
