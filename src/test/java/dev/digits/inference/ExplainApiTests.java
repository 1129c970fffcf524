package dev.digits.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceTest;
import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code explain=true} on every input form of POST /predict, on batches, and with abstentions, over real HTTP. */
class ExplainApiTests extends ServiceTest {

    @Test
    void explainsEveryInputForm() {
        byte[] png = MnistImages.file(0, "png", 4);
        List<Http.Response> responses = List.of(
                http.post("/predict?explain=true", "image/png", png),
                http.postMultipart("/predict?explain=true", "file", "image/png", png),
                http.postJson("/predict?explain=true", "{\"pixels\":" + MnistImages.pixelsJson(0) + "}"),
                http.postJson("/predict?explain=true", "{\"image\":\"" + Base64.getEncoder().encodeToString(png) + "\"}"));
        for (Http.Response response : responses) {
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertExplained(response.json(), 7);
        }
    }

    @Test
    void theInputIsTheImageTheNetworkSaw() {
        JsonNode answer = http.postJson("/predict?explain=true", "{\"pixels\":" + MnistImages.pixelsJson(1) + "}").json();
        byte[] original = MnistImages.test().pixels();
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertThat(answer.get("input").get(y).get(x).asDouble())
                        .isCloseTo((original[784 + y * 28 + x] & 0xff) / 255.0, org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    @Test
    void explainsEachImageOfABatchAndAbstentionsToo() {
        String blank = Base64.getEncoder().encodeToString(AbstentionApiTests.encode(
                new BufferedImage(280, 280, BufferedImage.TYPE_INT_ARGB), "png"));
        JsonNode predictions = http.postJson("/predict?explain=true", "{\"instances\":[{\"pixels\":"
                + MnistImages.pixelsJson(0) + "},{\"image\":\"" + blank + "\"},{\"pixels\":" + MnistImages.pixelsJson(2)
                + "}]}").json().get("predictions");
        assertExplained(predictions.get(0), 7);
        assertExplained(predictions.get(2), 1);
        JsonNode abstained = predictions.get(1);
        assertThat(abstained.get("digit").isNull()).isTrue();
        // An abstention still explains its most likely digit, over an input that is all black.
        assertThat(abstained.at("/attributions/digit").isIntegralNumber()).isTrue();
        assertThat(abstained.get("input")).hasSize(28);

        JsonNode multipart = http.postMultipart("/predict?explain=true&reject=false", "file", "image/png",
                MnistImages.file(1, "png", 2), MnistImages.file(3, "png", 2)).json().get("predictions");
        assertExplained(multipart.get(0), 2);
        assertExplained(multipart.get(1), 0);
    }

    @Test
    void plainPredictionsCarryNoExplanation() {
        JsonNode answer = http.postJson("/predict", "{\"pixels\":" + MnistImages.pixelsJson(0) + "}").json();
        assertThat(answer.has("input")).isFalse();
        assertThat(answer.has("attributions")).isFalse();
        assertThat(http.postJson("/predict?explain=perhaps", "{\"pixels\":" + MnistImages.pixelsJson(0) + "}").status())
                .isEqualTo(400);
    }

    private static void assertExplained(JsonNode answer, int digit) {
        assertThat(answer.get("digit").asInt()).as(answer.toString()).isEqualTo(digit);
        assertThat(answer.get("input")).hasSize(28);
        assertThat(answer.get("input").get(0)).hasSize(28);
        JsonNode attributions = answer.get("attributions");
        assertThat(attributions.get("method").asString()).isEqualTo("integrated-gradients");
        assertThat(attributions.get("steps").asInt()).isPositive();
        assertThat(attributions.get("digit").asInt()).isEqualTo(digit);
        assertThat(attributions.get("values")).hasSize(28);
        double total = 0;
        for (JsonNode row : attributions.get("values")) {
            assertThat(row).hasSize(28);
            for (JsonNode value : row) {
                total += value.asDouble();
            }
        }
        // Completeness: the attributions add up to how far the image lifts the digit's logit over black.
        assertThat(total).isPositive();
    }
}
