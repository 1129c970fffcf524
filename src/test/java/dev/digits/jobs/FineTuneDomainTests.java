package dev.digits.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.data.LabelledImages;
import dev.digits.support.Await;
import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceTest;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Fine-tuning must help on a shifted domain: MNIST digits written slanted 45° and with a thick pen,
 * drawn dark on paper. The base model is measured there, a fine-tune job runs through the API on
 * a small training split (plus some plain MNIST digits, so it does not forget them), and the new
 * version is measured on the domain's held-out split and on the MNIST test set.
 */
class FineTuneDomainTests extends ServiceTest {

    private static final int TRAIN = 1_200;
    private static final int REPLAY = 400;
    private static final int HELD_OUT = 500;

    @Test
    void fineTuningOnASmallShiftedSplitGivesALargeGainThere() throws IOException {
        String production = http.get("/models").json().get("production").asString();
        double baseDomain = accuracy(production, heldOutDomain());
        double baseMnist = http.get("/models/" + production).json().at("/evaluations/test/accuracy").asDouble();

        Http.Response dataset = http.post("/datasets?name=slanted-thick", "application/zip", trainingZip());
        assertThat(dataset.status()).as(dataset.body()).isEqualTo(201);
        Http.Response accepted = http.postJson("/jobs", """
                {"type": "fine-tune", "dataset": "%s", "epochs": 4, "promotion": "if-better", "seed": 11}"""
                .formatted(dataset.json().get("id").asString()));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        JsonNode job = Await.until(() -> http.get("/jobs/" + accepted.json().get("id").asString()).json(),
                j -> !List.of("QUEUED", "RUNNING").contains(j.get("state").asString()), Duration.ofMinutes(5), "finished");
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");

        String tuned = job.at("/result/version").asString();
        double tunedDomain = accuracy(tuned, heldOutDomain());
        double tunedMnist = job.at("/result/evaluations/mnist-test/accuracy").asDouble();
        System.out.printf("fine-tune on slanted thick digits: domain %.4f -> %.4f, MNIST test %.4f -> %.4f, %s%n",
                baseDomain, tunedDomain, baseMnist, tunedMnist, job.at("/result/promotionDecision").asString());
        JsonNode tunedModel = http.get("/models/" + tuned).json();
        System.out.printf("fine-tuned calibration: %s; ECE (15 bins) on its dataset's test split %.4f before the "
                        + "temperature, %.4f after; on validation %.4f -> %.4f%n", tunedModel.get("calibration"),
                tunedModel.at("/lineage/calibrationError/test/before").asDouble(),
                tunedModel.at("/lineage/calibrationError/test/after").asDouble(),
                tunedModel.at("/lineage/calibrationError/validation/before").asDouble(),
                tunedModel.at("/lineage/calibrationError/validation/after").asDouble());

        assertThat(tunedDomain - baseDomain).as("gain on the shifted domain").isGreaterThan(0.10);
        assertThat(tunedMnist).as("MNIST accuracy within the 0.5 % margin").isGreaterThanOrEqualTo(baseMnist - 0.005);
        assertThat(job.at("/result/promoted").asBoolean()).isTrue();
        assertThat(http.get("/models").json().get("production").asString()).isEqualTo(tuned);

        http.post("/models/rollback");
        http.post("/models/" + production + "/promote?alias=previous");
        http.delete("/models/" + tuned);
    }

    /**
     * Accuracy of a version on images, through POST /predict in batches, as a client would measure it;
     * {@code reject=false}, so that what is measured is the reading, not the abstaining.
     */
    private double accuracy(String version, List<byte[]> pngs) {
        int correct = 0;
        for (int start = 0; start < pngs.size(); start += 50) {
            StringJoiner instances = new StringJoiner(",", "{\"instances\":[", "]}");
            for (int i = start; i < Math.min(pngs.size(), start + 50); i++) {
                instances.add("{\"image\":\"" + Base64.getEncoder().encodeToString(pngs.get(i)) + "\"}");
            }
            JsonNode predictions = http.postJson("/predict?reject=false&model=" + version, instances.toString()).json().get("predictions");
            for (int i = 0; i < predictions.size(); i++) {
                if (predictions.get(i).get("digit").asInt() == MnistImages.label(start + i)) {
                    correct++;
                }
            }
        }
        return correct / (double) pngs.size();
    }

    private static List<byte[]> heldOutDomain() {
        return IntStream.range(0, HELD_OUT).mapToObj(i -> png(slanted(MnistImages.test(), i))).toList();
    }

    private static byte[] trainingZip() throws IOException {
        LabelledImages train = MnistImages.train();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < TRAIN + REPLAY; i++) {
                BufferedImage image = i < TRAIN ? slanted(train, i) : plain(train, i);
                zip.putNextEntry(new ZipEntry(train.label(i) + "/" + i + ".png"));
                zip.write(png(image));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Dark ink on white paper, rotated 45° clockwise, strokes thickened by one pixel. */
    static BufferedImage slanted(LabelledImages images, int index) {
        BufferedImage paper = new BufferedImage(56, 56, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = paper.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 56, 56);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.rotate(Math.toRadians(45), 28, 28);
        g.drawImage(inverted(thick(images, index)), 14, 14, null);
        g.dispose();
        return paper;
    }

    private static BufferedImage plain(LabelledImages images, int index) {
        return inverted(raw(images, index));
    }

    private static BufferedImage thick(LabelledImages images, int index) {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int max = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (yy >= 0 && yy < 28 && xx >= 0 && xx < 28) {
                            max = Math.max(max, images.pixels()[index * 784 + yy * 28 + xx] & 0xff);
                        }
                    }
                }
                image.getRaster().setSample(x, y, 0, max);
            }
        }
        return image;
    }

    private static BufferedImage raw(LabelledImages images, int index) {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, 28, 28, Arrays.copyOfRange(images.pixels(), index * 784, index * 784 + 784));
        return image;
    }

    private static BufferedImage inverted(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                out.getRaster().setSample(x, y, 0, 255 - image.getRaster().getSample(x, y, 0));
            }
        }
        return out;
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }
}
