package dev.digits.jobs;

import static dev.digits.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.support.Await;
import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceTest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Training, fine-tuning, progress, cancellation, idempotency and bad requests over real HTTP. */
class JobApiTests extends ServiceTest {

    private String dataset;

    @BeforeEach
    void smallDataset() {
        if (dataset == null) {
            Http.Response created = http.post("/datasets?name=job-tests", "application/zip",
                    MnistImages.datasetZip(0, 600, UnaryOperator.identity()));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            dataset = created.json().get("id").asString();
        }
    }

    @Test
    void trainsRegistersAndEvaluatesAModelStreamingItsProgress() throws Exception {
        Http.Response accepted = http.postJson("/jobs", """
                {"type": "train", "architecture": "lenet5", "dataset": "%s", "epochs": 2, "batchSize": 32,
                 "learningRate": 0.003, "seed": 3}""".formatted(dataset));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String id = accepted.json().get("id").asString();
        assertThat(accepted.header("Location")).isEqualTo("/jobs/" + id);
        assertThat(accepted.json().get("state").asString()).isIn("QUEUED", "RUNNING");

        List<String> events = readEvents(id);
        assertThat(events).anyMatch(e -> e.startsWith("event:progress"));
        assertThat(events).anyMatch(e -> e.startsWith("event:epoch"));
        assertThat(events.get(events.size() - 2)).isEqualTo("event:state");

        JsonNode job = http.get("/jobs/" + id).json();
        assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("startedAt").asString()).isNotBlank();
        assertThat(job.get("finishedAt").asString()).isNotBlank();
        assertThat(job.at("/progress/percent").asDouble()).isEqualTo(100.0);
        assertThat(job.get("history")).hasSize(2);
        assertThat(job.at("/history/1/validationAccuracy").asDouble()).isPositive();
        String version = job.at("/result/version").asString();
        assertThat(job.at("/result/promoted").asBoolean()).isFalse();
        assertThat(job.at("/result/evaluations/test/perClassAccuracy")).hasSize(10);
        assertThat(job.at("/result/evaluations/mnist-test/images").asInt()).isEqualTo(10_000);
        assertThat(job.at("/result/evaluations/mnist-test/confusion")).hasSize(10);

        JsonNode model = http.get("/models/" + version).json();
        assertThat(model.at("/lineage/jobId").asString()).isEqualTo(id);
        assertThat(model.at("/lineage/dataset").asString()).isEqualTo(dataset);
        assertThat(model.at("/lineage/hyperparameters/epochs").asInt()).isEqualTo(2);
        assertThat(model.get("architecture").asString()).isEqualTo("lenet5");
        assertCalibratedOnHeldOutData(model);

        JsonNode succeeded = http.get("/jobs?state=SUCCEEDED&size=50").json();
        assertThat(succeeded.get("jobs").toString()).contains(id);
        http.delete("/models/" + version);
    }

    @Test
    void fineTunesFromTheProductionModelWithFrozenFeatures() {
        String production = http.get("/models").json().get("production").asString();
        Http.Response accepted = http.postJson("/jobs", """
                {"type": "fine-tune", "dataset": "%s", "epochs": 1, "freezeFeatures": true}""".formatted(dataset));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.json().at("/request/learningRate").asDouble()).isLessThan(0.001);
        assertThat(accepted.json().get("parentVersion").asString()).isEqualTo(production);

        JsonNode job = awaitFinished(accepted.json().get("id").asString());
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        String version = job.at("/result/version").asString();
        JsonNode model = http.get("/models/" + version).json();
        assertThat(model.at("/lineage/parentVersion").asString()).isEqualTo(production);
        assertThat(model.at("/lineage/jobType").asString()).isEqualTo("fine-tune");
        assertThat(model.at("/evaluations/mnist-test/accuracy").asDouble()).isGreaterThan(0.98);
        assertCalibratedOnHeldOutData(model);
        assertThat(model.at("/evaluations/mnist-test/expectedCalibrationError").isNumber()).isTrue();
        http.delete("/models/" + version);
    }

    /** Every job-made version carries its own temperature and threshold, fitted on held-out data. */
    private static void assertCalibratedOnHeldOutData(JsonNode model) {
        JsonNode calibration = model.get("calibration");
        assertThat(calibration.get("temperature").asDouble()).as(model.toString()).isPositive();
        assertThat(calibration.get("threshold").asDouble()).isBetween(0.0, 1.0);
        assertThat(calibration.get("score").asString()).isEqualTo("max-softmax");
        assertThat(calibration.get("heldOutFalseRejection").asDouble())
                .isLessThanOrEqualTo(calibration.get("targetFalseRejection").asDouble());
        // Validation digits plus their client-style renders: more than the validation split alone.
        assertThat(calibration.get("heldOutImages").asInt()).isGreaterThan(model.at("/lineage/trainImages").asInt() / 10);
        assertThat(model.at("/evaluations/test/expectedCalibrationError").asDouble()).isBetween(0.0, 1.0);
        assertThat(model.at("/lineage/calibrationError/validation/after").asDouble())
                .isLessThanOrEqualTo(model.at("/lineage/calibrationError/validation/before").asDouble());
        assertThat(model.at("/lineage/calibrationError/test/after").asDouble())
                .isEqualTo(model.at("/evaluations/test/expectedCalibrationError").asDouble());
    }

    @Test
    void cancelsARunningJobWithinABatchAndRegistersNothing() {
        int versions = http.get("/models").json().get("versions").size();
        String id = http.postJson("/jobs", """
                {"type": "train", "architecture": "lenet5", "dataset": "%s", "epochs": 200, "batchSize": 16}"""
                .formatted(dataset)).json().get("id").asString();
        Await.until(() -> http.get("/jobs/" + id).json(), j -> j.get("progress") != null && !j.get("progress").isNull(),
                Duration.ofSeconds(60), "running");

        assertThat(http.post("/jobs/" + id + "/cancel").status()).isEqualTo(200);

        JsonNode job = awaitFinished(id);
        assertThat(job.get("state").asString()).isEqualTo("CANCELLED");
        // The state is recorded first (it is the truth after a crash), the checkpoints deleted right after.
        Await.until(() -> Files.exists(HOME.resolve("jobs").resolve(id)), exists -> !exists, Duration.ofSeconds(10),
                "checkpoints of the cancelled job deleted");
        assertThat(http.get("/models").json().get("versions")).hasSize(versions);
    }

    @Test
    void returnsTheSameJobForARetriedIdempotencyKey() {
        String body = """
                {"type": "train", "architecture": "lenet5", "dataset": "%s", "epochs": 1}""".formatted(dataset);
        Http.Response first = http.post("/jobs", "application/json", body.getBytes(), "Idempotency-Key", "retry-me-1");
        Http.Response second = http.post("/jobs", "application/json", body.getBytes(), "Idempotency-Key", "retry-me-1");

        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(second.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        JsonNode job = awaitFinished(first.json().get("id").asString());
        http.delete("/models/" + job.at("/result/version").asString());
    }

    @Test
    void refusesInvalidRequestsListingEveryFieldError() {
        Http.Response response = http.postJson("/jobs", """
                {"type": "train", "architecture": "vgg19", "epochs": 0, "optimizer": "rmsprop", "dataset": "nope",
                 "validationFraction": 0.9, "freezeFeatures": true}""");

        assertProblem(response, 400, "Invalid job request");
        List<String> fields = new ArrayList<>();
        response.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).containsExactlyInAnyOrder("architecture", "epochs", "optimizer", "dataset",
                "validationFraction", "freezeFeatures");

        assertProblem(http.postJson("/jobs", "{}"), 400, "Invalid job request");
        assertProblem(http.postJson("/jobs", "{\"type\": \"fine-tune\", \"baseModel\": \"404\"}"), 400,
                "Invalid job request");
        assertThat(http.postJson("/jobs", "{\"type\": \"dance\"}").status()).isEqualTo(400);
        assertProblem(http.get("/jobs/nope"), 404, "Not found");
    }

    private JsonNode awaitFinished(String id) {
        return Await.until(() -> http.get("/jobs/" + id).json(),
                j -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(j.get("state").asString()),
                Duration.ofMinutes(3), "finished");
    }

    /** Reads the job's event stream to its end, as a browser's EventSource would. */
    private List<String> readEvents(String id) throws Exception {
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/jobs/" + id + "/events"))
                        .header("Accept", "text/event-stream").header("X-API-Key", ADMIN_KEY).timeout(Duration.ofMinutes(3)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event:") || line.startsWith("data:")) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }
}
