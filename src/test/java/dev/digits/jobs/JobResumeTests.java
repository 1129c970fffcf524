package dev.digits.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.DigitsApplication;
import dev.digits.support.Await;
import dev.digits.support.Http;
import dev.digits.security.ApiKeys;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stops the whole service in the middle of a job and starts it again on the same store: the running
 * job resumes from its last epoch checkpoint, the queued one still runs, finished ones are listed.
 */
class JobResumeTests {

    @TempDir
    Path home;

    @Test
    void aRestartResumesTheRunningJobAndRunsTheQueuedOne() throws Exception {
        String running;
        String queued;
        String finished;
        try (ConfigurableApplicationContext first = start()) {
            Http http = client(first);
            String dataset = http.post("/datasets", "application/zip",
                    MnistImages.datasetZip(0, 400, UnaryOperator.identity())).json().get("id").asString();
            finished = http.postJson("/jobs", job(dataset, 1)).json().get("id").asString();
            awaitState(http, finished, "SUCCEEDED");
            running = http.postJson("/jobs", job(dataset, 6)).json().get("id").asString();
            queued = http.postJson("/jobs", job(dataset, 1)).json().get("id").asString();
            Await.until(() -> http.get("/jobs/" + running).json(), j -> j.get("history").size() >= 2,
                    Duration.ofMinutes(3), "two epochs done");
        }
        JsonNode stopped = JsonMapper.builder().build()
                .readTree(Files.readString(home.resolve("jobs").resolve(running + ".json")));
        assertThat(stopped.get("state").asString()).isIn("QUEUED", "RUNNING");
        assertThat(home.resolve("jobs").resolve(running).resolve("checkpoints")).isDirectory();

        try (ConfigurableApplicationContext second = start()) {
            Http http = client(second);
            JsonNode resumed = awaitState(http, running, "SUCCEEDED");
            assertThat(resumed.get("attempts").asInt()).isEqualTo(2);
            assertThat(resumed.get("history")).hasSize(6);
            assertThat(resumed.at("/history/0/epoch").asInt()).isEqualTo(1);
            awaitState(http, queued, "SUCCEEDED");
            assertThat(http.get("/jobs/" + finished).json().get("state").asString()).isEqualTo("SUCCEEDED");
            assertThat(http.get("/jobs").json().get("total").asInt()).isEqualTo(3);
        }
    }

    private ConfigurableApplicationContext start() {
        // Command-line arguments, because builder properties rank below application.properties.
        return new SpringApplicationBuilder(DigitsApplication.class)
                .run("--server.port=0", "--digits.home=" + home, "--logging.level.root=WARN",
                        "--digits.security.admin-key-hashes=" + ApiKeys.sha256(ServiceTest.ADMIN_KEY));
    }

    private static Http client(ConfigurableApplicationContext context) {
        return new Http(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")), ServiceTest.ADMIN_KEY);
    }

    private static String job(String dataset, int epochs) {
        return """
                {"type": "train", "architecture": "lenet5", "dataset": "%s", "epochs": %d, "batchSize": 16}"""
                .formatted(dataset, epochs);
    }

    private static JsonNode awaitState(Http http, String id, String state) {
        JsonNode job = Await.until(() -> http.get("/jobs/" + id).json(),
                j -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(j.get("state").asString()),
                Duration.ofMinutes(3), "finished");
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo(state);
        return job;
    }
}
