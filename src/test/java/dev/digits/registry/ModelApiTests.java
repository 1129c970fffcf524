package dev.digits.registry;

import static dev.digits.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.model.ModelArchive;
import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceTest;
import dev.digits.support.Zips;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The models API over real HTTP: list, get, download, import, promote, rollback, delete. */
class ModelApiTests extends ServiceTest {

    @Test
    void downloadsImportsPromotesRollsBackAndDeletes() throws IOException {
        Http.Response list = http.get("/models");
        assertThat(list.status()).isEqualTo(200);
        String production = list.json().get("production").asString();
        assertThat(list.json().get("versions")).isNotEmpty();

        Http.Response download = http.get("/models/" + production + "/download");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.contentType()).isEqualTo("application/zip");
        Map<String, byte[]> entries = Zips.entries(download.raw().body());
        assertThat(entries).containsOnlyKeys(ModelArchive.PARAMETERS, ModelArchive.METADATA);

        Http.Response imported = http.post("/models", "application/zip", download.raw().body());
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        String version = imported.json().get("version").asString();
        assertThat(imported.header("Location")).isEqualTo("/models/" + version);
        assertThat(imported.json().at("/lineage/source").asString()).isEqualTo("import");
        assertThat(http.get("/models/" + version).json().get("sha256").asString())
                .isEqualTo(imported.json().get("sha256").asString());

        Http.Response promoted = http.post("/models/" + version + "/promote");
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
        assertThat(promoted.json().get("production").asString()).isEqualTo(version);
        assertThat(promoted.json().at("/aliases/previous").asString()).isEqualTo(production);
        assertThat(predictedVersion()).isEqualTo(version);
        assertThat(http.get("/models/production").json().get("version").asString()).isEqualTo(version);

        assertProblem(http.delete("/models/" + version), 409, "Model in use");

        Http.Response rolledBack = http.post("/models/rollback");
        assertThat(rolledBack.status()).isEqualTo(200);
        assertThat(rolledBack.json().get("production").asString()).isEqualTo(production);
        assertThat(predictedVersion()).isEqualTo(production);

        Http.Response canary = http.post("/models/" + version + "/promote?alias=canary");
        assertThat(canary.json().at("/aliases/canary").asString()).isEqualTo(version);
        assertThat(http.postJson("/predict?model=canary", "{\"pixels\":" + MnistImages.pixelsJson(0) + "}").json()
                .get("modelVersion").asString()).isEqualTo(version);
        assertProblem(http.delete("/models/" + version), 409, "Model in use");
        http.post("/models/" + production + "/promote?alias=canary");
        http.post("/models/" + production + "/promote?alias=previous");

        assertThat(http.delete("/models/" + version).status()).isEqualTo(204);
        assertProblem(http.get("/models/" + version), 404, "Unknown model");
    }

    @Test
    void refusesBrokenAndLyingImports() throws IOException {
        String production = http.get("/models").json().get("production").asString();
        Map<String, byte[]> good = Zips.entries(http.get("/models/" + production + "/download").raw().body());
        int versionsBefore = http.get("/models").json().get("versions").size();

        assertProblem(http.post("/models", "application/zip", "not a zip".getBytes()), 422,
                "Invalid model archive");

        Map<String, byte[]> lying = new LinkedHashMap<>(good);
        lying.put(ModelArchive.METADATA, withField(good.get(ModelArchive.METADATA), "sha256", "0".repeat(64)));
        assertProblem(http.post("/models", "application/zip", Zips.of(lying)), 422, "Invalid model archive");

        Map<String, byte[]> wrongArchitecture = new LinkedHashMap<>(good);
        wrongArchitecture.put(ModelArchive.METADATA, withField(good.get(ModelArchive.METADATA), "architecture", "lenet5"));
        assertProblem(http.post("/models", "application/zip", Zips.of(wrongArchitecture)), 422,
                "Invalid model archive");

        Map<String, byte[]> unknown = new LinkedHashMap<>(good);
        unknown.put(ModelArchive.METADATA, withField(good.get(ModelArchive.METADATA), "architecture", "resnet"));
        assertProblem(http.post("/models", "application/zip", Zips.of(unknown)), 400, "Invalid input");

        Map<String, byte[]> notParameters = new LinkedHashMap<>(good);
        notParameters.put(ModelArchive.PARAMETERS, "hello".getBytes());
        notParameters.put(ModelArchive.METADATA, withField(good.get(ModelArchive.METADATA), "sha256",
                "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"));
        assertProblem(http.post("/models", "application/zip", Zips.of(notParameters)), 422,
                "Invalid model archive");

        Map<String, byte[]> extra = new LinkedHashMap<>(good);
        extra.put("../../evil.sh", "rm -rf /".getBytes());
        assertProblem(http.post("/models", "application/zip", Zips.of(extra)), 422, "Invalid model archive");

        assertThat(http.get("/models").json().get("versions")).hasSize(versionsBefore);
    }

    @Test
    void answersUnknownVersionsAndBadAliasesWithProblems() {
        assertProblem(http.get("/models/404"), 404, "Unknown model");
        assertProblem(http.post("/models/404/promote"), 404, "Unknown model");
        assertProblem(http.post("/models/1/promote?alias=Not%20Valid"), 400, "Invalid input");
    }

    private String predictedVersion() {
        return http.postJson("/predict", "{\"pixels\":" + MnistImages.pixelsJson(0) + "}").json().get("modelVersion")
                .asString();
    }

    private static byte[] withField(byte[] json, String field, String value) {
        ObjectNode node = (ObjectNode) JsonMapper.builder().build().readTree(json);
        node.put(field, value);
        return node.toString().getBytes();
    }
}
