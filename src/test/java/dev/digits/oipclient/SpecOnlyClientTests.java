package dev.digits.oipclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.offset;

import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A client written from the protocol's documents alone ({@link OipClient}) sends binary requests,
 * and its answers must be {@code /predict}'s on the same images. The support classes here only
 * make the images and call {@code /predict}.
 */
class SpecOnlyClientTests extends ServiceTest {

    private static final int IMAGES = 16;

    private OipClient client;

    @BeforeEach
    void connect() {
        client = new OipClient("http://localhost:" + port);
    }

    @Test
    @SuppressWarnings("unchecked")
    void findsTheServerAndTheModelFromTheirMetadata() {
        assertThat(client.serverLive()).isTrue();
        assertThat(client.serverReady()).isTrue();
        assertThat(client.modelReady("digits", null)).isTrue();
        assertThat(client.modelReady("digits", "1")).isTrue();
        assertThat((List<Object>) client.serverMetadata().get("extensions")).contains("binary_tensor_data");
        Map<String, Object> model = client.modelMetadata("digits", null);
        assertThat(model.get("name")).isEqualTo("digits");
        assertThat((List<Object>) model.get("inputs")).contains(
                Map.of("name", "image", "datatype", "BYTES", "shape", List.of(-1L)),
                Map.of("name", "pixels", "datatype", "UINT8", "shape", List.of(-1L, 28L, 28L)));
    }

    @Test
    void binaryImageFilesAnswerAsPredictDoes() {
        List<byte[]> files = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            files.add(MnistImages.file(i, i % 2 == 0 ? "png" : "bmp", 2 + i % 3));
        }
        OipClient.Inference answer = client.infer("digits", null,
                List.of(new OipClient.Tensor("image", "BYTES", new long[] {IMAGES}, files)),
                List.of("probabilities", "digit"), true, true);

        assertThat(answer.binaryBody()).isTrue();
        JsonNode predicted = http.postMultipart("/predict", "file", "application/octet-stream",
                files.toArray(byte[][]::new)).json().get("predictions");
        assertSameAnswers(answer, predicted);
    }

    @Test
    void binaryRawPixelsAnswerAsPredictsJsonPixels() {
        byte[] pixels = Arrays.copyOfRange(MnistImages.test().pixels(), 20 * 784, (20 + IMAGES) * 784);
        float[] unit = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            unit[i] = (pixels[i] & 0xff) / 255f;
        }
        StringJoiner instances = new StringJoiner(",", "{\"instances\":[", "]}");
        for (int i = 20; i < 20 + IMAGES; i++) {
            instances.add(MnistImages.pixelsJson(i));
        }
        JsonNode predicted = http.postJson("/predict", instances.toString()).json().get("predictions");

        OipClient.Tensor uint8 = new OipClient.Tensor("pixels", "UINT8", new long[] {IMAGES, 28, 28}, pixels);
        assertSameAnswers(client.infer("digits", null, List.of(uint8), List.of(), true, true), predicted);
        OipClient.Tensor fp32 = new OipClient.Tensor("pixels_fp32", "FP32", new long[] {IMAGES, 1, 28, 28}, unit);
        assertSameAnswers(client.infer("digits", "production", List.of(fp32), List.of(), true, false), predicted);
        // And the same tensors sent as JSON.
        assertSameAnswers(client.infer("digits", null, List.of(uint8), List.of(), false, true), predicted);
    }

    @Test
    void failuresCarryTheProtocolsErrorObject() {
        OipClient.Tensor one = new OipClient.Tensor("pixels", "UINT8", new long[] {1, 28, 28}, new byte[784]);
        assertThat(catchThrowableOfType(OipClient.Failure.class,
                () -> client.infer("mnist", null, List.of(one), List.of(), true, true)).status()).isEqualTo(404);
        assertThat(catchThrowableOfType(OipClient.Failure.class,
                () -> client.infer("digits", "999", List.of(one), List.of(), true, true)).status()).isEqualTo(404);
        OipClient.Tensor wrong = new OipClient.Tensor("pixels", "UINT8", new long[] {2, 28, 28}, new byte[784]);
        assertThat(catchThrowableOfType(OipClient.Failure.class,
                () -> client.infer("digits", null, List.of(wrong), List.of(), true, true)))
                .hasMessageStartingWith("400: ");
        assertThat(client.modelReady("digits", "999")).isFalse();
    }

    /** The client shares nothing with the server: its sources import the JDK only. */
    @Test
    void theClientIsWrittenWithTheJdkOnly() throws IOException {
        Path sources = Path.of("src/test/java/dev/digits/oipclient");
        try (Stream<Path> files = Files.list(sources)) {
            List<Path> client = files.filter(f -> !f.getFileName().toString().endsWith("Tests.java")).toList();
            assertThat(client).isNotEmpty();
            for (Path file : client) {
                assertThat(Files.readAllLines(file)).filteredOn(line -> line.startsWith("import "))
                        .as(file.toString()).allMatch(line -> line.startsWith("import java."));
            }
        }
    }

    private static void assertSameAnswers(OipClient.Inference answer, JsonNode predicted) {
        assertThat(answer.modelName()).isEqualTo("digits");
        double[] digits = answer.outputs().get("digit").numbers();
        double[] probabilities = answer.outputs().get("probabilities").numbers();
        assertThat(answer.outputs().get("probabilities").shape()).containsExactly(IMAGES, 10);
        assertThat(digits).hasSize(IMAGES);
        for (int i = 0; i < IMAGES; i++) {
            JsonNode prediction = predicted.get(i);
            assertThat(answer.modelVersion()).isEqualTo(prediction.get("modelVersion").asString());
            assertThat((long) digits[i]).as("image " + i).isEqualTo(prediction.get("digit").asLong());
            for (int c = 0; c < 10; c++) {
                assertThat(probabilities[i * 10 + c]).as("image " + i + ", digit " + c)
                        .isCloseTo(prediction.get("probabilities").get(c).asDouble(), offset(1e-5));
            }
        }
    }
}
