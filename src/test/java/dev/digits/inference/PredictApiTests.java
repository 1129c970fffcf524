package dev.digits.inference;

import static dev.digits.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceTest;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Every input format of POST /predict and every error case, over real HTTP. */
class PredictApiTests extends ServiceTest {

    // MNIST test digits 0..3 are 7, 2, 1, 0.
    @ParameterizedTest
    @CsvSource({"png,image/png", "jpeg,image/jpeg", "gif,image/gif", "bmp,image/bmp"})
    void predictsAnImageBody(String format, String contentType) {
        Http.Response response = http.post("/predict", contentType, MnistImages.file(0, format, 4));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertPrediction(response.json(), 7);
    }

    @Test
    void predictsEveryMultipartFile() {
        Http.Response response = http.postMultipart("/predict", "file", "image/png", MnistImages.file(1, "png", 2),
                MnistImages.file(2, "png", 3));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode predictions = response.json().get("predictions");
        assertThat(predictions).hasSize(2);
        assertPrediction(predictions.get(0), 2);
        assertPrediction(predictions.get(1), 1);
    }

    @Test
    void predictsASingleMultipartFileAsOnePrediction() {
        Http.Response response = http.postMultipart("/predict", "file", "image/png", MnistImages.file(3, "png", 1));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertPrediction(response.json(), 0);
    }

    @Test
    void predictsJsonPixelsFlatAndNested() {
        assertPrediction(http.postJson("/predict", "{\"pixels\":" + MnistImages.pixelsJson(0) + "}").json(), 7);
        assertPrediction(http.postJson("/predict", "{\"pixels\":" + MnistImages.nestedUnitPixelsJson(1) + "}").json(), 2);
    }

    @Test
    void predictsABase64ImageAndADataUrl() {
        String png = Base64.getEncoder().encodeToString(MnistImages.file(2, "png", 2));
        assertPrediction(http.postJson("/predict", "{\"image\":\"" + png + "\"}").json(), 1);
        assertPrediction(http.postJson("/predict", "{\"image\":\"data:image/png;base64," + png + "\"}").json(), 1);
    }

    @Test
    void predictsABatchOfInstances() {
        String png = Base64.getEncoder().encodeToString(MnistImages.file(3, "png", 2));
        Http.Response response = http.postJson("/predict", "{\"instances\":[{\"pixels\":" + MnistImages.pixelsJson(0)
                + "},{\"image\":\"" + png + "\"}," + MnistImages.pixelsJson(1) + "]}");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode predictions = response.json().get("predictions");
        assertThat(predictions).hasSize(3);
        assertPrediction(predictions.get(0), 7);
        assertPrediction(predictions.get(1), 0);
        assertPrediction(predictions.get(2), 2);
    }

    @Test
    void targetsAVersionOrAliasAndRefusesAnUnknownOne() {
        assertThat(http.postJson("/predict?model=1", "{\"pixels\":" + MnistImages.pixelsJson(0) + "}").json()
                .get("modelVersion").asString()).isEqualTo("1");
        assertThat(http.postJson("/predict?model=production", "{\"pixels\":" + MnistImages.pixelsJson(0) + "}")
                .status()).isEqualTo(200);

        assertProblem(http.postJson("/predict?model=999", "{\"pixels\":" + MnistImages.pixelsJson(0) + "}"), 404,
                "Unknown model");
    }

    @Test
    void refusesAnUnsupportedMediaType() {
        assertProblem(http.post("/predict", "text/plain", "7".getBytes()), 415, null);
        assertProblem(http.post("/predict", "image/tiff", new byte[] {1, 2, 3}), 415, null);
    }

    @Test
    void refusesBadJson() {
        assertProblem(http.postJson("/predict", "{\"pixels\": [1, 2,"), 400, "Invalid input");
        assertProblem(http.postJson("/predict", "[1,2,3]"), 400, "Invalid input");
        assertProblem(http.postJson("/predict", "{\"pixels\": [" + "0,".repeat(782) + "0]}"), 400, "Invalid input");
        assertProblem(http.postJson("/predict", "{\"pixels\": [" + "0,".repeat(783) + "NaN]}"), 400, "Invalid input");
        assertProblem(http.postJson("/predict", "{\"pixels\": [" + "0,".repeat(783) + "300]}"), 400, "Invalid input");
        assertProblem(http.postJson("/predict", "{\"pixels\": [" + "0,".repeat(783) + "\"x\"]}"), 400, "Invalid input");
        assertProblem(http.postJson("/predict", "{\"image\": \"%%%not-base64\"}"), 400, "Invalid input");
        assertProblem(http.postJson("/predict", "{\"digits\": 7}"), 400, "Invalid input");
        assertProblem(http.postJson("/predict", "{\"pixels\":" + "[".repeat(1000) + "]".repeat(1000) + "}"), 400,
                "Invalid input");
    }

    @Test
    void refusesCorruptAndTruncatedImages() {
        byte[] png = MnistImages.file(0, "png", 4);
        assertProblem(http.post("/predict", "image/png", Arrays.copyOf(png, png.length / 2)), 400, "Invalid image");
        assertProblem(http.post("/predict", "image/jpeg", "not a jpeg at all".getBytes()), 400, "Invalid image");
        assertProblem(http.post("/predict", "image/png", new byte[0]), 400, null);
    }

    @Test
    void refusesHugeDeclaredDimensionsWithoutDecoding() throws IOException {
        assertProblem(http.post("/predict", "image/png", pngHeader(50_000, 50_000)), 413, "Image too large");
    }

    @Test
    void enforcesRequestLimitsBeforeAnyWork() {
        String pixels = "{\"pixels\":" + MnistImages.pixelsJson(0) + "}";
        assertProblem(http.postJson("/predict", "{\"instances\":[" + (pixels + ",").repeat(64) + pixels + "]}"), 413,
                "Request too large");
        assertProblem(http.post("/predict", "image/png", new byte[11 * 1024 * 1024]), 413, "Request too large");
    }

    private static void assertPrediction(JsonNode prediction, int digit) {
        assertThat(prediction.get("digit").asInt()).isEqualTo(digit);
        assertThat(prediction.get("confidence").asDouble()).isBetween(0.5, 1.0);
        assertThat(prediction.get("probabilities")).hasSize(10);
        double sum = 0;
        for (JsonNode p : prediction.get("probabilities")) {
            sum += p.asDouble();
        }
        assertThat(sum).isBetween(0.999, 1.001);
        assertThat(prediction.get("modelVersion").asString()).isNotBlank();
    }

    /** A PNG signature and IHDR chunk declaring {@code width×height}, with no pixel data behind it. */
    static byte[] pngHeader(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        DataOutputStream ihdr = new DataOutputStream(chunk);
        ihdr.writeBytes("IHDR");
        ihdr.writeInt(width);
        ihdr.writeInt(height);
        ihdr.write(new byte[] {8, 0, 0, 0, 0});
        byte[] data = chunk.toByteArray();
        out.writeInt(13);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(data);
        out.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }
}
