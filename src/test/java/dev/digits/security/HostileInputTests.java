package dev.digits.security;

import static dev.digits.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.model.ModelArchive;
import dev.digits.support.HostileModels;
import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceTest;
import dev.digits.support.Zips;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hostile and broken input: every case gets a 4xx, the service stays healthy, and the store is
 * byte for byte what it was.
 */
class HostileInputTests extends ServiceTest {

    private Map<Path, Long> storeBefore;

    @BeforeEach
    void snapshot() {
        storeBefore = store();
    }

    @AfterEach
    void nothingWrittenAndStillHealthy() {
        assertThat(store()).isEqualTo(storeBefore);
        assertThat(http.get("/actuator/health/readiness").json().get("status").asString()).isEqualTo("UP");
        assertThat(http.postJson("/predict", "{\"pixels\":" + MnistImages.pixelsJson(0) + "}").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg", "gif", "bmp"})
    void truncatedAndCorruptImages(String format) {
        byte[] image = MnistImages.file(0, format, 4);
        for (byte[] broken : List.of(Arrays.copyOf(image, image.length / 2), Arrays.copyOf(image, 12),
                corruptHeader(image))) {
            int status = http.post("/predict", "image/" + format, broken).status();
            assertThat(status).as(format).isEqualTo(400);
            assertThat(http.post("/feedback?label=7", "image/" + format, broken).status()).isEqualTo(400);
        }
    }

    @Test
    void decompressionBombsAndHugeDeclaredDimensions() throws IOException {
        assertProblem(http.post("/predict", "image/png", zeroPng(10_000, 10_000)), 413, "Image too large");
        assertProblem(http.post("/predict", "image/png", zeroPng(50_000, 50_000, false)), 413, "Image too large");
        assertProblem(http.post("/predict", "image/gif", gifHeader(65_535, 65_535)), 413, null);
    }

    @Test
    void hugeAndDeeplyNestedJson() {
        assertProblem(http.postJson("/predict", "{\"pixels\":[" + "0,".repeat(6_000_000) + "0]}"), 413, "Request too large");
        assertProblem(http.postJson("/predict", "{\"pixels\":[" + "0,".repeat(1_000_000) + "0]}"), 400, "Invalid input");
        assertProblem(http.postJson("/predict", "{\"pixels\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"), 400,
                "Invalid input");
        assertProblem(http.postJson("/predict", "{\"image\":\"" + "A".repeat(3_000_000) + "\"}"), 400, "Invalid image");
        assertProblem(http.postJson("/jobs", "{\"type\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"), 400, null);
    }

    @Test
    void wrongContentTypes() {
        for (String type : List.of("text/plain", "text/xml", "application/x-www-form-urlencoded", "image/svg+xml",
                "image/tiff", "application/octet-stream")) {
            assertProblem(http.post("/predict", type, "<svg/>".getBytes()), 415, null);
        }
        assertProblem(http.post("/datasets", "text/plain", "x".getBytes()), 415, null);
        assertProblem(http.post("/jobs", "text/plain", "x".getBytes()), 415, null);
        assertProblem(http.post("/models", "text/plain", "x".getBytes()), 415, null);
    }

    @Test
    void zipBombsTraversalSymlinksAndDuplicatesInDatasets() {
        byte[] digit = MnistImages.file(0, "png", 1);
        assertProblem(http.post("/datasets", "application/zip", Zips.bomb("7/bomb.png", 600)), 413, "Request too large");
        for (String path : List.of("../7/x.png", "a/../../7/x.png", "/etc/7/x.png", "C:/7/x.png", "7\\..\\x.png")) {
            assertProblem(http.post("/datasets", "application/zip", Zips.of(Map.of(path, digit))), 400, "Invalid dataset");
        }
        assertProblem(http.post("/datasets", "application/zip",
                Zips.asSymlinks(Zips.of(Map.of("7/link.png", "/etc/passwd".getBytes())))), 400, "Invalid dataset");
        byte[] twice = Zips.renamed(Zips.of(new LinkedHashMap<>(Map.of("7/a.png", digit, "7/b.png", digit))),
                "7/b.png", "7/a.png");
        assertProblem(http.post("/datasets", "application/zip", twice), 400, "Invalid dataset");
        assertProblem(http.post("/datasets", "application/zip", "PK\u0003\u0004 broken".getBytes()), 400, "Invalid dataset");
    }

    @Test
    void maliciousAndBrokenModelImports() {
        String production = http.get("/models").json().get("production").asString();
        Map<String, byte[]> good = Zips.entries(http.get("/models/" + production + "/download").raw().body());

        Map<String, byte[]> wrongShapes = new LinkedHashMap<>(good);
        wrongShapes.put(ModelArchive.METADATA, field(good.get(ModelArchive.METADATA), "architecture", "lenet5"));
        assertProblem(http.post("/models", "application/zip", Zips.of(wrongShapes)), 422, "Invalid model archive");

        assertProblem(http.post("/models", "application/zip", Zips.bomb(ModelArchive.PARAMETERS, 200)), 413,
                "Request too large");

        Map<String, byte[]> notParameters = new LinkedHashMap<>(good);
        notParameters.put(ModelArchive.PARAMETERS, MnistImages.file(0, "png", 1));
        notParameters.put(ModelArchive.METADATA, field(good.get(ModelArchive.METADATA), "sha256",
                sha256(MnistImages.file(0, "png", 1))));
        assertProblem(http.post("/models", "application/zip", Zips.of(notParameters)), 422, "Invalid model archive");

        Map<String, byte[]> lying = new LinkedHashMap<>(good);
        lying.put(ModelArchive.METADATA, field(good.get(ModelArchive.METADATA), "sha256", "ab".repeat(32)));
        assertProblem(http.post("/models", "application/zip", Zips.of(lying)), 422, "Invalid model archive");

        byte[] archive = http.get("/models/" + production + "/download").raw().body();
        assertProblem(http.post("/models", "application/zip", Arrays.copyOf(archive, archive.length / 2)), 422,
                "Invalid model archive");

        Map<String, byte[]> notJson = new LinkedHashMap<>(good);
        notJson.put(ModelArchive.METADATA, "{\"architecture\":".getBytes());
        assertProblem(http.post("/models", "application/zip", Zips.of(notJson)), 422, "Invalid model archive");
    }

    @Test
    void parameterFilesThatDeclareGigabytesOrAreTruncatedAre422() {
        byte[] metadata = HostileModels.bundledMetadata();
        for (Map.Entry<String, byte[]> hostile : HostileModels.cases(HostileModels.bundledParameters()).entrySet()) {
            Http.Response response = http.post("/models", "application/zip",
                    HostileModels.archive(metadata, hostile.getValue()));
            assertThat(response.status()).as(hostile.getKey() + ": " + response.body()).isEqualTo(422);
            assertProblem(response, 422, "Invalid model archive");
        }
    }

    /** The battery's case: a 20 MB multipart file sent to /feedback without a key was stored. */
    @Test
    void everyImageEntryPointHasTheSameBodyAndPixelLimitsWhateverTheForm() throws IOException {
        Http anonymous = new Http(port);
        byte[] twentyMegabytes = new byte[20 << 20];
        new Random(7).nextBytes(twentyMegabytes);
        Http.Multipart oneBigFile = Http.multipart("file", twentyMegabytes);
        assertProblem(anonymous.post("/feedback?label=3", oneBigFile.contentType(), oneBigFile.body()), 413,
                "Request too large");
        assertProblem(anonymous.post("/feedback?label=3", "image/png", twentyMegabytes), 413, "Request too large");
        assertProblem(anonymous.post("/predict", oneBigFile.contentType(), oneBigFile.body()), 413, "Request too large");

        // Variations: parts each under the limit but together over it; no declared length (chunked);
        // base64 in JSON; an image whose header declares too many pixels, in every form.
        byte[] fourMegabytes = Arrays.copyOf(twentyMegabytes, 4 << 20);
        Http.Multipart threeFiles = Http.multipart("file", fourMegabytes, "file", fourMegabytes, "file", fourMegabytes);
        assertProblem(anonymous.post("/predict", threeFiles.contentType(), threeFiles.body()), 413, "Request too large");
        assertProblem(anonymous.postChunked("/predict", threeFiles.contentType(), threeFiles.body()), 413,
                "Request too large");
        assertProblem(anonymous.postChunked("/feedback?label=3", oneBigFile.contentType(), oneBigFile.body()), 413,
                "Request too large");
        assertProblem(anonymous.postChunked("/feedback?label=3", "image/png", twentyMegabytes), 413, "Request too large");
        String base64 = Base64.getEncoder().encodeToString(Arrays.copyOf(twentyMegabytes, 9 << 20));
        assertProblem(anonymous.postJson("/feedback", "{\"label\":3,\"image\":\"" + base64 + "\"}"), 413,
                "Request too large");
        assertProblem(anonymous.postChunked("/predict", "application/json",
                ("{\"image\":\"" + base64 + "\"}").getBytes()), 413, "Request too large");

        byte[] tooManyPixels = zeroPng(10_000, 10_000);
        Http.Multipart hugeImage = Http.multipart("file", tooManyPixels);
        assertProblem(anonymous.post("/feedback?label=3", hugeImage.contentType(), hugeImage.body()), 413,
                "Image too large");
        assertProblem(anonymous.post("/predict", hugeImage.contentType(), hugeImage.body()), 413, "Image too large");
        String hugeBase64 = Base64.getEncoder().encodeToString(tooManyPixels);
        assertProblem(anonymous.postJson("/feedback", "{\"label\":3,\"image\":\"" + hugeBase64 + "\"}"), 413,
                "Image too large");
        assertProblem(http.post("/datasets", "application/zip", Zips.of(Map.of("3/huge.png", tooManyPixels))), 400,
                "Invalid dataset"); // the entry is rejected, so nothing usable remains
    }

    @Test
    void otherEntryPointsKeepTheirLimitsToo() throws IOException {
        // IDX uploads: an image larger than max-image-pixels, and a header declaring 2^31 values in a tiny file.
        Http.Multipart hugeIdx = Http.multipart("images", gzip(idx(new int[] {1, 6000, 6000}, new byte[6000 * 6000])),
                "labels", idx(new int[] {1}, new byte[] {3}));
        assertProblem(http.post("/datasets", hugeIdx.contentType(), hugeIdx.body()), 413, "Image too large");
        Http.Multipart lyingIdx = Http.multipart("images", idx(new int[] {Integer.MAX_VALUE, 28, 28}, new byte[784]),
                "labels", idx(new int[] {1}, new byte[] {3}));
        assertProblem(http.post("/datasets", lyingIdx.contentType(), lyingIdx.body()), 400, "Invalid dataset");
        // The JSON of the management API is small: 1 MB at most.
        byte[] spaces = new byte[2 << 20];
        Arrays.fill(spaces, (byte) ' ');
        assertProblem(http.post("/jobs", "application/json", spaces), 413, "Request too large");
        assertProblem(http.postChunked("/jobs", "application/json", spaces), 413, "Request too large");
    }

    private static byte[] idx(int[] dimensions, byte[] values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(new byte[] {0, 0, 8, (byte) dimensions.length});
            for (int d : dimensions) {
                out.writeInt(d);
            }
            out.write(values);
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }

    private static byte[] field(byte[] json, String name, String value) {
        ObjectNode node = (ObjectNode) JsonMapper.builder().build().readTree(json);
        node.put(name, value);
        return node.toString().getBytes();
    }

    private static byte[] corruptHeader(byte[] image) {
        byte[] copy = image.clone();
        for (int i = 8; i < Math.min(copy.length, 40); i++) {
            copy[i] = (byte) (copy[i] ^ 0x5a);
        }
        return copy;
    }

    /** A valid PNG of {@code width×height} black pixels: tiny compressed, huge decoded. */
    static byte[] zeroPng(int width, int height) throws IOException {
        return zeroPng(width, height, true);
    }

    private static byte[] zeroPng(int width, int height, boolean withData) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream header = new DataOutputStream(ihdr);
        header.writeInt(width);
        header.writeInt(height);
        header.write(new byte[] {8, 0, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        if (withData) {
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed, new Deflater(9))) {
                byte[] row = new byte[width + 1];
                for (int y = 0; y < height; y++) {
                    deflate.write(row);
                }
            }
            chunk(out, "IDAT", compressed.toByteArray());
        }
        chunk(out, "IEND", new byte[0]);
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] name = type.getBytes();
        out.write(name);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    private static byte[] gifHeader(int width, int height) {
        return new byte[] {'G', 'I', 'F', '8', '9', 'a', (byte) width, (byte) (width >> 8), (byte) height,
                (byte) (height >> 8), 0, 0, 0, ',', 0, 0, 0, 0, (byte) width, (byte) (width >> 8), (byte) height,
                (byte) (height >> 8), 0, 2, 2, 0x44, 0x01, 0, ';'};
    }

    /** Every file under the store with its size: what "writes nothing" is checked against. */
    private static Map<Path, Long> store() {
        Map<Path, Long> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(HOME)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(HOME.relativize(path), Files.size(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
