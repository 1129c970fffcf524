package dev.digits.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.support.Await;
import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.PostgresTarget;
import dev.digits.support.S3Target;
import dev.digits.support.ServiceProcess;
import dev.digits.support.SharedStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Two serving JVMs and two trainer JVMs share one PostgreSQL database and one S3 bucket, as
 * replicas on several machines would. Each test stands alone; the one that kills a trainer starts
 * a replacement, and runs last only so that a failure there cannot hide the others.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class SharedStoreProcessesContract {

    private static final String LEASE = "4s";

    private final List<ServiceProcess> processes = new ArrayList<>();
    private final List<ServiceProcess> trainers = new ArrayList<>();
    private Path work;
    private SharedStore store;
    private Http serverOne;
    private Http serverTwo;
    private String dataset;

    protected abstract PostgresTarget postgres();

    protected abstract S3Target s3();

    @BeforeAll
    void startTwoServersAndTwoTrainers() throws Exception {
        work = Files.createTempDirectory("shared-store");
        store = SharedStore.create(postgres(), s3());
        // The first replica finds the store empty and registers the bundled model; the others start on it.
        serverOne = start("server-1", "0");
        List<Thread> starting = new ArrayList<>();
        Http[] second = new Http[1];
        starting.add(started(() -> second[0] = start("server-2", "0")));
        starting.add(started(this::startTrainer));
        starting.add(started(this::startTrainer));
        for (Thread thread : starting) {
            thread.join();
        }
        serverTwo = second[0];
        assertThat(serverTwo).as("server-2 started").isNotNull();
        assertThat(trainers).hasSize(2);
        Http.Response created = serverOne.post("/datasets?name=shared", "application/zip",
                MnistImages.datasetZip(0, 600, UnaryOperator.identity()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        dataset = created.json().get("id").asString();
    }

    private Http start(String name, String concurrent) {
        Path home = work.resolve(name);
        List<String> arguments = new ArrayList<>(store.arguments());
        arguments.addAll(List.of("--digits.jobs.concurrent=" + concurrent, "--digits.jobs.lease=" + LEASE,
                // Polling so slow that only a pushed notification can explain a fast swap.
                "--digits.registry.alias-refresh=60s"));
        ServiceProcess process = new ServiceProcess(home, work.resolve(name + ".log"), arguments.toArray(String[]::new));
        Http http = process.start();
        synchronized (processes) {
            processes.add(process);
            if (!"0".equals(concurrent)) {
                trainers.add(process);
            }
        }
        return http;
    }

    private void startTrainer() {
        int n;
        synchronized (processes) {
            n = trainers.size() + processes.size();
        }
        start("trainer-" + n + "-" + System.nanoTime() % 10_000, "1");
    }

    private static Thread started(Runnable work) {
        Thread thread = new Thread(work);
        thread.start();
        return thread;
    }

    @AfterAll
    void stopEverything() {
        processes.forEach(ServiceProcess::kill);
    }

    @Test
    @Order(1)
    void aJobSubmittedToOneServerIsVisibleFromTheOther() {
        String id = submit(serverOne, 1, 32);
        JsonNode fromTwo = serverTwo.get("/jobs/" + id).json();
        assertThat(fromTwo.get("id").asString()).isEqualTo(id);
        assertThat(serverTwo.get("/jobs?size=200").body()).contains(id);
        JsonNode finished = awaitFinished(serverTwo, id);
        assertThat(finished.get("state").asString()).as(finished.toString()).isEqualTo("SUCCEEDED");
        assertThat(serverOne.get("/jobs/" + id).json()).isEqualTo(serverTwo.get("/jobs/" + id).json());
    }

    @Test
    @Order(2)
    void aPromotionOnOneServerIsAnsweredByTheOtherWithinOneSecond() {
        String id = submit(serverTwo, 1, 32);
        String version = awaitFinished(serverOne, id).at("/result/version").asString();
        long before = System.nanoTime();
        Http.Response promoted = serverOne.post("/models/" + version + "/promote");
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
        long promotedAt = System.nanoTime();
        // A tight loop rather than Await's 200 ms steps: the figure is the one the issue asks about.
        while (!version.equals(predictedBy(serverTwo)) && System.nanoTime() - promotedAt < 10_000_000_000L) {
            Thread.onSpinWait();
        }
        double seconds = (System.nanoTime() - promotedAt) / 1e9;
        assertThat(seconds).as("seconds from the promotion's answer to the other server's first answer with it")
                .isLessThan(1.0);
        assertThat(predictedBy(serverOne)).isEqualTo(version);
        assertThat((System.nanoTime() - before) / 1e9).isLessThan(60);
    }

    @Test
    @Order(3)
    void tenJobsSubmittedAtOnceRunAcrossBothTrainersNoneTwice() throws Exception {
        List<String> ids = new ArrayList<>();
        List<Thread> submitting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Http server = i % 2 == 0 ? serverOne : serverTwo;
            submitting.add(started(() -> {
                String id = submit(server, 1, 64);
                synchronized (ids) {
                    ids.add(id);
                }
            }));
        }
        for (Thread thread : submitting) {
            thread.join();
        }
        assertThat(ids).hasSize(10).doesNotHaveDuplicates();
        Set<String> ranOn = new HashSet<>();
        for (String id : ids) {
            JsonNode job = awaitFinished(serverOne, id);
            assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
            assertThat(job.get("attempts").asInt()).as("attempts of " + id).isEqualTo(1);
            ranOn.add(trainerPid(job));
            assertThat(versionsMadeBy(id)).as("versions registered by " + id).hasSize(1);
        }
        assertThat(ranOn).as("trainers that ran the ten jobs").hasSize(2);
    }

    @Test
    @Order(4)
    void aKilledTrainersJobIsFinishedByTheOtherFromItsCheckpointAndRegisteredOnce() {
        String id = submit(serverOne, 6, 8);
        JsonNode midEpoch = Await.until(() -> serverTwo.get("/jobs/" + id).json(),
                job -> job.get("history").size() >= 1 && job.at("/progress/epoch").asInt() >= 2
                        && job.at("/progress/batch").asInt() > 0,
                Duration.ofMinutes(3), "job " + id + " training its second epoch");
        JsonNode firstEpoch = midEpoch.get("history").get(0);
        String killedPid = trainerPid(midEpoch);
        ServiceProcess victim = trainers.stream().filter(t -> String.valueOf(t.pid()).equals(killedPid)).findFirst()
                .orElseThrow();
        victim.kill();
        trainers.remove(victim);
        processes.remove(victim);

        JsonNode finished = awaitFinished(serverTwo, id);
        assertThat(finished.get("state").asString()).as(finished.toString()).isEqualTo("SUCCEEDED");
        assertThat(finished.get("attempts").asInt()).isEqualTo(2);
        assertThat(trainerPid(finished)).isNotEqualTo(killedPid);
        assertThat(finished.get("history")).hasSize(6);
        // Resumed, not restarted: the first epoch is the one the killed trainer finished.
        assertThat(finished.get("history").get(0)).isEqualTo(firstEpoch);
        assertThat(versionsMadeBy(id)).hasSize(1);
        startTrainer();
    }

    private String submit(Http server, int epochs, int batchSize) {
        Http.Response accepted = server.postJson("/jobs", """
                {"type": "train", "architecture": "lenet5", "dataset": "%s", "epochs": %d, "batchSize": %d,
                 "learningRate": 0.003, "seed": 3}""".formatted(dataset, epochs, batchSize));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        return accepted.json().get("id").asString();
    }

    private static JsonNode awaitFinished(Http server, String id) {
        return Await.until(() -> server.get("/jobs/" + id).json(),
                job -> Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.get("state").asString()),
                Duration.ofMinutes(6), "job " + id + " finished");
    }

    /** The process id that starts the name of the trainer that ran the job. */
    private static String trainerPid(JsonNode job) {
        return job.get("trainer").asString().split("@")[0];
    }

    private List<JsonNode> versionsMadeBy(String jobId) {
        JsonNode versions = serverTwo.get("/models").json();
        JsonNode list = versions.isArray() ? versions : versions.get("versions");
        List<JsonNode> made = new ArrayList<>();
        list.forEach(v -> {
            if (jobId.equals(v.at("/lineage/jobId").asString(null))) {
                made.add(v);
            }
        });
        return made;
    }

    private static String predictedBy(Http server) {
        return server.postJson("/predict", "{\"pixels\":" + MnistImages.pixelsJson(0) + "}").json().get("modelVersion").asString();
    }

}
