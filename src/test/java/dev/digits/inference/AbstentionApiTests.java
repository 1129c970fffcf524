package dev.digits.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceTest;
import dev.digits.training.negatives.NegativeFamily;
import dev.digits.training.negatives.Negatives;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Images with nothing drawn get no digit, over real HTTP, on every input form and per image of a batch. */
class AbstentionApiTests extends ServiceTest {

    /** Every kind of blank a client sends: empty canvases, blank paper, uniform and dark images, faint noise. */
    static List<Supplier<BufferedImage>> blanks() {
        return List.of(
                () -> new BufferedImage(280, 280, BufferedImage.TYPE_INT_ARGB), // transparent canvas
                () -> filled(280, 280, Color.WHITE, BufferedImage.TYPE_INT_RGB), // white canvas
                () -> filled(600, 800, new Color(235, 230, 220), BufferedImage.TYPE_INT_RGB), // paper
                () -> filled(64, 64, Color.BLACK, BufferedImage.TYPE_BYTE_GRAY), // dark
                () -> filled(300, 200, new Color(90, 120, 200), BufferedImage.TYPE_INT_RGB), // uniform colour
                () -> filled(28, 28, Color.GRAY, BufferedImage.TYPE_BYTE_GRAY), // uniform 28×28
                () -> faintNoise(400, 400), // photographed blank paper: sensor noise only
                () -> gradient(500, 400)); // blank paper under uneven light
    }

    @Test
    void blankImagesOfEveryKindAnswerNoInk() {
        for (Supplier<BufferedImage> blank : blanks()) {
            for (String format : List.of("png", "jpeg")) {
                byte[] file = encode(blank.get(), format);
                Http.Response response = http.post("/predict", "image/" + format, file);
                assertThat(response.status()).as(response.body()).isEqualTo(200);
                assertNoDigit(response.json(), "no-ink");
            }
        }
    }

    @Test
    void blankPixelsAnswerNoInk() {
        String zeros = "{\"pixels\":[" + "0,".repeat(783) + "0]}";
        String uniform = "{\"pixels\":[" + "255,".repeat(783) + "255]}";
        String dim = "{\"pixels\":[" + "0.03,".repeat(783) + "0.03]}";
        for (String body : List.of(zeros, uniform, dim)) {
            Http.Response response = http.postJson("/predict", body);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertNoDigit(response.json(), "no-ink");
        }
    }

    @Test
    void eachImageOfABatchAbstainsOnItsOwn() {
        String blank = Base64.getEncoder().encodeToString(encode(new BufferedImage(280, 280,
                BufferedImage.TYPE_INT_ARGB), "png"));
        String seven = "{\"pixels\":" + MnistImages.pixelsJson(0) + "}";
        JsonNode predictions = http.postJson("/predict", "{\"instances\":[" + seven + ",{\"image\":\"" + blank + "\"},"
                + seven + "]}").json().get("predictions");
        assertThat(predictions.get(0).get("digit").asInt()).isEqualTo(7);
        assertNoDigit(predictions.get(1), "no-ink");
        assertThat(predictions.get(2).get("digit").asInt()).isEqualTo(7);

        JsonNode multipart = http.postMultipart("/predict", "file", "image/png", MnistImages.file(1, "png", 3),
                encode(filled(200, 200, Color.WHITE, BufferedImage.TYPE_INT_RGB), "png")).json().get("predictions");
        assertThat(multipart.get(0).get("digit").asInt()).isEqualTo(2);
        assertNoDigit(multipart.get(1), "no-ink");
    }

    @Test
    void rejectFalseGivesTheMostLikelyDigitOnEveryForm() {
        byte[] blankPng = encode(new BufferedImage(280, 280, BufferedImage.TYPE_INT_ARGB), "png");
        List<Http.Response> responses = List.of(
                http.post("/predict?reject=false", "image/png", blankPng),
                http.postMultipart("/predict?reject=false", "file", "image/png", blankPng),
                http.postJson("/predict?reject=false", "{\"image\":\"" + Base64.getEncoder().encodeToString(blankPng)
                        + "\"}"));
        for (Http.Response response : responses) {
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode answer = response.json();
            assertThat(answer.get("digit").isIntegralNumber()).as(answer.toString()).isTrue();
            assertThat(answer.has("reason")).isFalse();
            assertThat(answer.get("confidence").asDouble()).isEqualTo(answer.get("probabilities")
                    .get(answer.get("digit").asInt()).asDouble());
        }
        JsonNode batch = http.postJson("/predict?reject=false", "{\"instances\":[{\"pixels\":[" + "0,".repeat(783)
                + "0]},{\"pixels\":" + MnistImages.pixelsJson(0) + "}]}").json().get("predictions");
        assertThat(batch.get(0).get("digit").isIntegralNumber()).isTrue();
        assertThat(batch.get(1).get("digit").asInt()).isEqualTo(7);
        assertThat(http.postJson("/predict?reject=maybe", "{\"pixels\":" + MnistImages.pixelsJson(0) + "}").status())
                .isEqualTo(400);
    }

    @Test
    void lettersSignsDoodlesAndNoiseAnswerNotADigit() {
        Negatives negatives = new Negatives(MnistImages.train());
        int notADigit = 0;
        int sent = 0;
        for (NegativeFamily family : NegativeFamily.values()) {
            for (int i = 0; i < 6; i++) {
                Http.Response response = http.post("/predict", "image/png", negatives.upload(family, i, 424_242));
                assertThat(response.status()).as(response.body()).isEqualTo(200);
                JsonNode answer = response.json();
                assertThat(answer.get("reason") == null || answer.get("digit").isNull()).isTrue();
                if (answer.has("reason") && "not-a-digit".equals(answer.get("reason").asString())) {
                    assertNoDigit(answer, "not-a-digit");
                    notADigit++;
                }
                sent++;
            }
        }
        // The rate itself is measured on many more images in BundledAbstentionTests.
        assertThat(notADigit).as(notADigit + " of " + sent).isGreaterThanOrEqualTo((int) Math.ceil(0.9 * sent));
    }

    @Test
    void abstentionsAreCountedByReason() {
        double before = abstained("no-ink");
        http.post("/predict", "image/png", encode(new BufferedImage(100, 100, BufferedImage.TYPE_INT_ARGB), "png"));
        http.post("/predict?reject=false", "image/png", encode(new BufferedImage(100, 100,
                BufferedImage.TYPE_INT_ARGB), "png"));
        assertThat(abstained("no-ink")).isEqualTo(before + 1);
    }

    private double abstained(String reason) {
        String scrape = http.get("/actuator/prometheus").body();
        return scrape.lines()
                .filter(line -> line.startsWith("digits_predict_abstained_total{") && line.contains("reason=\"" + reason + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    static void assertNoDigit(JsonNode answer, String reason) {
        assertThat(answer.get("digit").isNull()).as(answer.toString()).isTrue();
        assertThat(answer.get("reason").asString()).isEqualTo(reason);
        assertThat(answer.get("probabilities")).hasSize(10);
        assertThat(answer.get("confidence").asDouble()).isBetween(0.0, 1.0);
        assertThat(answer.get("modelVersion").asString()).isNotBlank();
    }

    private static BufferedImage filled(int width, int height, Color color, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    private static BufferedImage faintNoise(int width, int height) {
        Random random = new Random(5);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, (int) Math.round(215 + 3 * random.nextGaussian()));
            }
        }
        return image;
    }

    private static BufferedImage gradient(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, 120 + 110 * x / width);
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            BufferedImage written = image;
            if ("jpeg".equals(format) && image.getColorModel().hasAlpha()) {
                written = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
                Graphics2D g = written.createGraphics();
                g.drawImage(image, 0, 0, Color.WHITE, null);
                g.dispose();
            }
            ImageIO.write(written, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
