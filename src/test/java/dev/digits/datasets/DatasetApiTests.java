package dev.digits.datasets;

import static dev.digits.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceTest;
import dev.digits.support.Zips;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Dataset uploads, including hostile archives, and feedback, over real HTTP. */
class DatasetApiTests extends ServiceTest {

    @Test
    void uploadsAZipOfDigitFoldersAndReportsWhatItSkipped() throws IOException {
        byte[] zip = withExtraEntries(MnistImages.datasetZip(0, 50, UnaryOperator.identity()),
                new String[] {"digits/README.txt", "hello"}, new String[] {"digits/3/notes.txt", "not an image"});

        Http.Response created = http.post("/datasets?name=first-fifty", "application/zip", zip);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode info = created.json();
        String id = info.get("id").asString();
        assertThat(created.header("Location")).isEqualTo("/datasets/" + id);
        assertThat(info.get("size").asInt()).isEqualTo(50);
        int[] expected = new int[10];
        for (int i = 0; i < 50; i++) {
            expected[MnistImages.label(i)]++;
        }
        for (int digit = 0; digit < 10; digit++) {
            assertThat(info.get("countsPerClass").get(digit).asInt()).isEqualTo(expected[digit]);
        }
        assertThat(info.get("rejected").toString()).contains("digits/README.txt").contains("digits/3/notes.txt");

        assertThat(http.get("/datasets/" + id).json().get("size").asInt()).isEqualTo(50);
        assertThat(http.get("/datasets").body()).contains(id);
        assertThat(http.delete("/datasets/" + id).status()).isEqualTo(204);
        assertProblem(http.get("/datasets/" + id), 404, "Not found");
    }

    @Test
    void uploadsAnIdxPair() {
        byte[] images = idx(new int[] {20, 28, 28}, Arrays.copyOf(MnistImages.test().pixels(), 20 * 784));
        byte[] labels = idx(new int[] {20}, Arrays.copyOf(MnistImages.test().labels(), 20));
        Http.Response created = multipart(images, labels);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("size").asInt()).isEqualTo(20);
        assertThat(created.json().get("format").asString()).isEqualTo("idx");
    }

    @Test
    void refusesPathTraversalBombsAndBrokenArchivesStoringNothing() throws IOException {
        int before = http.get("/datasets").json().size();

        assertProblem(http.post("/datasets", "application/zip", Zips.of(Map.of("../../etc/0/evil.png", MnistImages.file(0, "png", 1)))),
                400, "Invalid dataset");
        assertProblem(http.post("/datasets", "application/zip", Zips.of(Map.of("/abs/1/x.png", MnistImages.file(0, "png", 1)))),
                400, "Invalid dataset");
        assertProblem(http.post("/datasets", "application/zip", "not a zip".getBytes()), 400, "Invalid dataset");
        assertProblem(http.post("/datasets", "application/zip", Zips.bomb("0/bomb.png", 600)), 413, "Request too large");

        // ZipOutputStream refuses duplicate names, so write a same-length name and patch it afterwards.
        byte[] duplicates = Zips.renamed(withExtraEntries(MnistImages.datasetZip(0, 5, UnaryOperator.identity()),
                new String[] {"digits/7/X.png", "again"}), "digits/7/X.png", "digits/7/0.png");
        assertProblem(http.post("/datasets", "application/zip", duplicates), 400, "Invalid dataset");

        assertThat(http.get("/datasets").json().size()).isEqualTo(before);
    }

    @Test
    void addsFeedbackInEveryPredictFormat() {
        int before = http.get("/datasets/feedback").json().get("size").asInt();

        assertThat(http.post("/feedback?label=7", "image/png", MnistImages.file(0, "png", 3)).status()).isEqualTo(201);
        Http.Response json = http.postJson("/feedback", "{\"pixels\":" + MnistImages.pixelsJson(1) + ",\"label\":2}");
        assertThat(json.status()).as(json.body()).isEqualTo(201);
        assertThat(json.json().get("feedbackSize").asInt()).isEqualTo(before + 2);
        assertProblem(http.postJson("/feedback", "{\"pixels\":" + MnistImages.pixelsJson(1) + ",\"label\":12}"), 400,
                "Invalid input");

        assertThat(http.get("/datasets/feedback").json().get("size").asInt()).isEqualTo(before + 2);
    }

    private Http.Response multipart(byte[] images, byte[] labels) {
        String boundary = "b" + System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (String[] part : new String[][] {{"images"}, {"labels"}}) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part[0]
                        + "\"; filename=\"" + part[0] + ".idx\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes());
                out.write(part[0].equals("images") ? images : labels);
                out.write("\r\n".getBytes());
            }
            out.write(("--" + boundary + "--\r\n").getBytes());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return http.post("/datasets", "multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    private static byte[] idx(int[] dims, byte[] values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(0);
        bytes.write(0);
        bytes.write(8);
        bytes.write(dims.length);
        for (int d : dims) {
            bytes.write(d >>> 24);
            bytes.write(d >>> 16);
            bytes.write(d >>> 8);
            bytes.write(d);
        }
        bytes.writeBytes(values);
        return bytes.toByteArray();
    }

    /** Re-packs a ZIP with extra text entries appended. */
    private static byte[] withExtraEntries(byte[] zip, String[]... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes);
             ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(in.readAllBytes());
                out.closeEntry();
            }
            for (String[] extra : entries) {
                out.putNextEntry(new ZipEntry(extra[0]));
                out.write(extra[1].getBytes());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
