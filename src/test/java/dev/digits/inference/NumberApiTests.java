package dev.digits.inference;

import static dev.digits.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.digits.support.Http;
import dev.digits.support.NumberImages;
import dev.digits.support.NumberImages.Family;
import dev.digits.support.NumberImages.Style;
import dev.digits.support.ServiceTest;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code POST /predict?mode=number} in every input form, its abstentions and its limits, over real HTTP. */
class NumberApiTests extends ServiceTest {

    private static final NumberImages NUMBERS = NumberImages.fromMnistTest();
    // MNIST test digits 0..3 are 7, 2, 1, 0.
    private static final NumberImages.Sample SAMPLE = NUMBERS.render(Family.GAPS, Style.CANVAS, new int[] {0, 1, 2, 3},
            new Random(4));

    @Test
    void readsARowOfDigitsFromAnImageBody() {
        Http.Response response = http.post("/predict?mode=number", "image/png", SAMPLE.bytes());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertReading(response.json(), SAMPLE);
    }

    @Test
    void readsAMultipartFileAndABase64Image() {
        Http.Response multipart = http.postMultipart("/predict?mode=number", "file", "image/png", SAMPLE.bytes());
        assertThat(multipart.status()).as(multipart.body()).isEqualTo(200);
        assertReading(multipart.json(), SAMPLE);

        String base64 = Base64.getEncoder().encodeToString(SAMPLE.bytes());
        Http.Response json = http.postJson("/predict?mode=number", "{\"image\":\"" + base64 + "\"}");
        assertThat(json.status()).as(json.body()).isEqualTo(200);
        assertReading(json.json(), SAMPLE);
        assertReading(http.postJson("/predict?mode=number&model=production",
                "{\"image\":\"data:image/png;base64," + base64 + "\"}").json(), SAMPLE);
    }

    @Test
    void readsDarkInkOnPaperAndDigitsDrawnInSeveralStrokes() {
        NumberImages.Sample paper = NUMBERS.render(Family.STROKES, Style.PAPER, new int[] {4, 5, 6}, new Random(5));
        Http.Response response = http.post("/predict?mode=number", "image/png", paper.bytes());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertReading(response.json(), paper);
    }

    @Test
    void givesBoxesInTheUploadsPixelsWhenABigImageIsDecodedSmaller() throws IOException {
        BufferedImage big = scaled(SAMPLE.image(), 4);
        Http.Response response = http.post("/predict?mode=number", "image/png", png(big));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode digits = response.json().get("digits");
        assertThat(response.json().get("number").asString()).isEqualTo(SAMPLE.number());
        for (int i = 0; i < digits.size(); i++) {
            int[] truth = SAMPLE.boxes()[i];
            JsonNode box = digits.get(i).get("box");
            assertThat(box.get("x").asDouble()).isCloseTo(4.0 * truth[0], within(4 * 6.0));
            assertThat(box.get("x").asDouble() + box.get("width").asDouble()).isCloseTo(4.0 * (truth[2] + 1), within(4 * 6.0));
        }
    }

    @Test
    void abstainsAsNotADigitWhenAPartOfTheRowIsNotADigitAndCountsIt() throws IOException {
        double before = abstained("not-a-digit");
        BufferedImage row = SAMPLE.image();
        int height = row.getHeight();
        BufferedImage withShape = new BufferedImage(row.getWidth() + height, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = withShape.createGraphics();
        g.drawImage(row, 0, 0, null);
        g.setColor(new java.awt.Color(inkOf(row), true));
        g.setStroke(new java.awt.BasicStroke(height / 14f));
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        // A hash sign beside the digits: ink that the segmenter keeps but no digit looks like.
        int x = row.getWidth() + height / 6;
        int size = height * 2 / 3;
        int y = (height - size) / 2;
        g.drawLine(x + size / 3, y, x + size / 3, y + size);
        g.drawLine(x + 2 * size / 3, y, x + 2 * size / 3, y + size);
        g.drawLine(x, y + size / 3, x + size, y + size / 3);
        g.drawLine(x, y + 2 * size / 3, x + size, y + 2 * size / 3);
        g.dispose();

        JsonNode answer = http.post("/predict?mode=number", "image/png", png(withShape)).json();

        assertThat(answer.get("reason").asString()).as(answer.toString()).isEqualTo("not-a-digit");
        assertThat(answer.get("number").isNull()).isTrue();
        JsonNode digits = answer.get("digits");
        assertThat(digits.size()).isGreaterThan(SAMPLE.number().length());
        JsonNode last = digits.get(digits.size() - 1);
        assertThat(last.get("digit").isNull()).as(last.toString()).isTrue();
        assertThat(last.get("reason").asString()).isEqualTo("not-a-digit");
        assertThat(abstained("not-a-digit")).isEqualTo(before + 1);
    }

    /** The colour of the row's most opaque pixel: its ink. */
    private static int inkOf(BufferedImage row) {
        int best = 0;
        for (int y = 0; y < row.getHeight(); y++) {
            for (int x = 0; x < row.getWidth(); x++) {
                int argb = row.getRGB(x, y);
                if ((argb >>> 24) > (best >>> 24)) {
                    best = argb;
                }
            }
        }
        return best;
    }

    private double abstained(String reason) {
        return http.get("/actuator/prometheus").body().lines()
                .filter(line -> line.startsWith("digits_predict_abstained_total{") && line.contains("reason=\"" + reason + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void abstainsWithNoInkOnABlankImage() {
        JsonNode answer = http.post("/predict?mode=number", "image/png", png(new BufferedImage(400, 120,
                BufferedImage.TYPE_INT_ARGB))).json();

        assertThat(answer.get("number").isNull()).isTrue();
        assertThat(answer.get("reason").asString()).isEqualTo("no-ink");
        assertThat(answer.get("digits")).isEmpty();
        assertThat(answer.get("modelVersion").asString()).isEqualTo(http.get("/models").json().get("production").asString());
    }

    @Test
    void refusesMoreThan32DigitsAndAnImageTooWideWith413() {
        int[] indices = new int[40];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
        NumberImages.Sample long40 = NUMBERS.render(Family.GAPS, Style.PAPER, indices, new Random(6));
        assertProblem(http.post("/predict?mode=number", "image/png", long40.bytes()), 413, "Request too large");

        BufferedImage strip = new BufferedImage(2000, 40, BufferedImage.TYPE_BYTE_GRAY);
        assertProblem(http.post("/predict?mode=number", "image/png", png(strip)), 413, "Request too large");
    }

    @Test
    void refusesWhatIsNotOneImage() {
        assertProblem(http.postJson("/predict?mode=number", "{\"pixels\":[0,0,0]}"), 400, "Invalid input");
        assertProblem(http.postMultipart("/predict?mode=number", "file", "image/png", SAMPLE.bytes(), SAMPLE.bytes()),
                400, "Invalid input");
        assertProblem(http.post("/predict?mode=number", "image/png", new byte[] {1, 2, 3}), 400, "Invalid image");
        assertProblem(http.post("/predict?mode=number&model=99", "image/png", SAMPLE.bytes()), 404, "Unknown model");
    }

    @Test
    void leavesSingleDigitPredictionsAsTheyWere() {
        JsonNode single = http.post("/predict", "image/png", SAMPLE.bytes()).json();
        assertThat(single.has("digits")).isFalse();
        assertThat(single.has("probabilities")).isTrue();
    }

    @Test
    void theApiDescriptionDocumentsTheNumberMode() {
        JsonNode docs = http.get("/v3/api-docs").json();
        for (String path : new String[] {"/predict", "/feedback"}) {
            JsonNode post = docs.get("paths").get(path).get("post");
            assertThat(post.get("description").asString()).as(path).contains("mode=number");
            assertThat(post.get("parameters").valueStream().map(p -> p.get("name").asString())).as(path).contains("mode");
        }
        assertThat(docs.at("/components/schemas/NumberAnswer/properties").propertyNames())
                .contains("number", "confidence", "modelVersion", "digits");
        assertThat(docs.at("/paths/~1predict/post/responses/200").toString()).contains("#/components/schemas/NumberAnswer");
    }

    private static void assertReading(JsonNode answer, NumberImages.Sample sample) {
        assertThat(answer.get("number").asString()).as(answer.toString()).isEqualTo(sample.number());
        assertThat(answer.get("modelVersion").asString()).isNotBlank();
        assertThat(answer.has("reason")).isFalse();
        JsonNode digits = answer.get("digits");
        assertThat(digits).hasSize(sample.number().length());
        double joint = 1;
        for (int i = 0; i < digits.size(); i++) {
            JsonNode digit = digits.get(i);
            assertThat(digit.get("digit").asInt()).isEqualTo(sample.number().charAt(i) - '0');
            joint *= digit.get("confidence").asDouble();
            int[] truth = sample.boxes()[i];
            JsonNode box = digit.get("box");
            // The box holds the digit's ink, up to the soft edge the renderer and the threshold disagree on.
            assertThat(box.get("x").asInt()).isCloseTo(truth[0], within(6));
            assertThat(box.get("y").asInt()).isCloseTo(truth[1], within(6));
            assertThat(box.get("x").asInt() + box.get("width").asInt() - 1).isCloseTo(truth[2], within(6));
            assertThat(box.get("y").asInt() + box.get("height").asInt() - 1).isCloseTo(truth[3], within(6));
        }
        assertThat(answer.get("confidence").asDouble()).isCloseTo(joint, within(1e-9)).isGreaterThan(0.5);
    }

    private static BufferedImage scaled(BufferedImage image, int factor) {
        BufferedImage big = new BufferedImage(image.getWidth() * factor, image.getHeight() * factor,
                BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, big.getWidth(), big.getHeight(), null);
        g.dispose();
        return big;
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }
}
