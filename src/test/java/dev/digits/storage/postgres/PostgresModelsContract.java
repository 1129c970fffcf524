package dev.digits.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.digits.model.Json;
import dev.digits.model.ModelArchive;
import dev.digits.model.ModelMetadata;
import dev.digits.registry.DamagedModelException;
import dev.digits.registry.ModelInUseException;
import dev.digits.registry.ModelRepository;
import dev.digits.registry.OpenedModel;
import dev.digits.registry.StagedModel;
import dev.digits.registry.UnknownModelException;
import dev.digits.storage.StorageUnavailableException;
import dev.digits.support.PostgresTarget;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PostgresModels} on a real PostgreSQL, with several replicas (pools, local folders) on one database. */
abstract class PostgresModelsContract {

    protected abstract PostgresTarget target();

    private PostgresStore store;
    private PostgresModels models;

    @BeforeEach
    void createStore() {
        store = PostgresStore.create(target());
        models = replica("a");
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
    }

    private PostgresModels replica(String name) {
        return store.closeLater(new PostgresModels(store.database(), store.blobs, store.home(name)));
    }

    static byte[] bundled(String name) throws Exception {
        try (InputStream in = PostgresModelsContract.class.getResourceAsStream("/bundled-model/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The bundled model, staged, as trained by {@code jobId} (null: imported). */
    static StagedModel staged(ModelRepository models, String jobId) throws Exception {
        StagedModel staged = models.stage();
        Files.createDirectories(staged.folder());
        Files.write(staged.folder().resolve(ModelArchive.PARAMETERS), bundled(ModelArchive.PARAMETERS));
        Files.write(staged.folder().resolve(ModelArchive.METADATA), bundled(ModelArchive.METADATA));
        ModelMetadata metadata = ModelArchive.readMetadata(staged.folder());
        Json.writeAtomically(staged.folder().resolve(ModelArchive.METADATA), metadata.withLineage(
                jobId == null ? Map.of("source", "import") : Map.of("source", "job", "jobId", jobId)));
        return staged;
    }

    private String register(ModelRepository repository, String jobId) throws Exception {
        try (StagedModel staged = staged(repository, jobId)) {
            return repository.register(staged);
        }
    }

    @Test
    void aRegisteredVersionIsScannedOpenedVerifiedAndDeletedEverywhere() throws Exception {
        String version = register(models, null);
        assertThat(version).isEqualTo("1");

        PostgresModels other = replica("b");
        assertThat(other.versionNumbers()).containsExactly("1");
        assertThat(other.exists("1")).isTrue();
        assertThat(other.exists("2")).isFalse();
        assertThat(other.exists("../1")).isFalse();
        ModelRepository.Scan scan = other.scan();
        assertThat(scan.versions()).extracting(ModelMetadata::version).containsExactly("1");
        assertThat(scan.corrupt()).isEmpty();
        ModelMetadata metadata = other.metadata("1");
        assertThat(metadata.version()).isEqualTo("1");
        assertThat(metadata.lineage()).containsEntry("source", "import");

        OpenedModel opened = other.open("1");
        assertThat(opened.metadata()).usingRecursiveComparison().isEqualTo(metadata);
        assertThat(Files.readAllBytes(opened.folder().resolve(ModelArchive.PARAMETERS)))
                .isEqualTo(bundled(ModelArchive.PARAMETERS));
        assertThat(ModelArchive.readMetadata(opened.folder()).version()).isEqualTo("1");
        assertThat(opened.folder().toString()).doesNotContain("staging");
        int downloads = store.blobs.gets.get();
        assertThat(other.open("1").folder()).isEqualTo(opened.folder());
        assertThat(store.blobs.gets.get()).as("the parameters are cached locally").isEqualTo(downloads);
        assertThat(other.verify("1")).isEmpty();

        models.delete("1");
        assertThat(other.exists("1")).isFalse();
        assertThat(other.scan().versions()).isEmpty();
        assertThatThrownBy(() -> other.metadata("1")).isInstanceOf(UnknownModelException.class);
        assertThatThrownBy(() -> other.open("1")).isInstanceOf(UnknownModelException.class);
        assertThatThrownBy(() -> models.delete("1")).isInstanceOf(UnknownModelException.class);
        other.removeAbandonedStaging();
        assertThat(opened.folder()).doesNotExist();

        assertThat(register(models, null)).as("a number is never handed out twice").isEqualTo("2");
    }

    @Test
    void aJobsModelBecomesOneVersionEvenWhenRegisteredTwiceAtOnce() throws Exception {
        String first = register(models, "job-1");
        assertThat(register(replica("b"), "job-1")).isEqualTo(first);

        List<PostgresModels> replicas = List.of(models, replica("c"), replica("d"), replica("e"));
        CyclicBarrier start = new CyclicBarrier(replicas.size());
        List<Callable<String>> racers = new ArrayList<>();
        for (PostgresModels replica : replicas) {
            racers.add(() -> {
                try (StagedModel staged = staged(replica, "job-2")) {
                    start.await();
                    return replica.register(staged);
                }
            });
        }
        assertThat(runAll(racers)).containsOnly("2");
        assertThat(models.versionNumbers()).containsExactly("1", "2");
    }

    @Test
    void registrationsRacingOnReplicasGetDistinctVersions() throws Exception {
        List<PostgresModels> replicas = List.of(models, replica("b"), replica("c"));
        CyclicBarrier start = new CyclicBarrier(6);
        List<Callable<String>> racers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            PostgresModels replica = replicas.get(i % replicas.size());
            String job = i % 2 == 0 ? "job-" + i : null;
            racers.add(() -> {
                try (StagedModel staged = staged(replica, job)) {
                    start.await();
                    return replica.register(staged);
                }
            });
        }
        assertThat(runAll(racers)).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6");
        assertThat(models.scan().versions()).hasSize(6);
    }

    @Test
    void aliasChangesAreTransactionalAndNameExistingVersions() throws Exception {
        register(models, null);
        register(models, null);
        assertThat(models.aliases()).isEmpty();
        assertThat(models.updateAliases(a -> {
            a.put("production", "1");
            return a;
        })).isEqualTo(Map.of("production", "1"));

        // Replicas changing the aliases at the same time, each change depending on what it read (the
        // number of aliases): each sees the changes committed before it, none is lost.
        List<PostgresModels> replicas = List.of(models, replica("b"), replica("c"));
        CyclicBarrier start = new CyclicBarrier(replicas.size());
        List<Callable<Void>> writers = new ArrayList<>();
        for (int r = 0; r < replicas.size(); r++) {
            PostgresModels replica = replicas.get(r);
            writers.add(() -> {
                start.await();
                for (int i = 0; i < 10; i++) {
                    replica.updateAliases(a -> {
                        a.put("n" + a.size(), "2");
                        return a;
                    });
                }
                return null;
            });
        }
        runAll(writers);
        assertThat(models.aliases()).hasSize(31).containsEntry("production", "1").containsEntry("n30", "2");

        Map<String, String> before = models.aliases();
        assertThatThrownBy(() -> models.updateAliases(a -> {
            a.put("production", "2");
            a.put("staging", "7");
            return a;
        })).isInstanceOf(UnknownModelException.class);
        assertThatThrownBy(() -> models.updateAliases(a -> {
            a.clear();
            throw new IllegalStateException("changed my mind");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(models.aliases()).as("nothing of a failed change is written").isEqualTo(before);

        assertThatThrownBy(() -> models.delete("1")).isInstanceOf(ModelInUseException.class)
                .hasMessageContaining("production");
        assertThat(models.updateAliases(a -> {
            a.keySet().removeIf(alias -> alias.startsWith("n"));
            a.put("previous", "1");
            a.put("production", "2");
            return a;
        })).isEqualTo(Map.of("production", "2", "previous", "1"));
    }

    /**
     * What the registry does at its first start (ModelRegistry.afterPropertiesSet): within the alias
     * transaction, registers the bundled model if the store is empty and makes it production. Several
     * replicas starting at once on an empty store register it once.
     */
    @Test
    void replicasStartingTogetherOnAnEmptyStoreRegisterTheFirstModelOnce() throws Exception {
        List<PostgresModels> replicas = List.of(models, replica("b"), replica("c"));
        CyclicBarrier start = new CyclicBarrier(replicas.size());
        List<Callable<Map<String, String>>> starts = new ArrayList<>();
        for (PostgresModels replica : replicas) {
            starts.add(() -> {
                start.await();
                return replica.updateAliases(current -> {
                    if (replica.scan().versions().isEmpty()) {
                        try {
                            current.put("production", register(replica, null));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    return current;
                });
            });
        }
        assertThat(runAll(starts)).containsOnly(Map.of("production", "1"));
        assertThat(models.versionNumbers()).containsExactly("1");

        // A registration that fails inside the alias transaction leaves neither the version nor the alias.
        store.blobs.unavailable(true);
        assertThatThrownBy(() -> models.updateAliases(current -> {
            try {
                current.put("staging", register(models, "job-7"));
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return current;
        })).isInstanceOf(StorageUnavailableException.class);
        store.blobs.unavailable(false);
        assertThat(models.versionNumbers()).containsExactly("1");
        assertThat(models.aliases()).isEqualTo(Map.of("production", "1"));
    }

    @Test
    void anAliasChangeReachesTheOtherReplicasListenersWithinASecond() throws Exception {
        register(models, null);
        PostgresModels other = replica("b");
        Semaphore changes = new Semaphore(0);
        other.onAliasesChanged(changes::release);
        awaitListening(other);

        models.updateAliases(a -> {
            a.put("production", "1");
            return a;
        });
        assertThat(changes.tryAcquire(1, TimeUnit.SECONDS)).as("notified within a second").isTrue();

        models.updateAliases(a -> a); // no change, no notification
        models.updateAliases(a -> {
            a.put("staging", "1");
            return a;
        });
        assertThat(changes.tryAcquire(1, TimeUnit.SECONDS)).isTrue();
        assertThat(changes.tryAcquire(300, TimeUnit.MILLISECONDS)).isFalse();
    }

    static void awaitListening(PostgresModels models) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!models.listening()) {
            assertThat(System.nanoTime()).as("listening for alias changes").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aBlobStoreThatCannotBeReachedLeavesNoVersion() throws Exception {
        store.blobs.unavailable(true);
        try (StagedModel staged = staged(models, "job-1")) {
            assertThatThrownBy(() -> models.register(staged)).isInstanceOf(StorageUnavailableException.class);
        }
        assertThat(models.versionNumbers()).isEmpty();
        store.blobs.unavailable(false);
        assertThat(register(models, "job-1")).as("the failed attempt took no number").isEqualTo("1");

        store.blobs.unavailable(true);
        assertThatThrownBy(() -> replica("b").verify("1")).as("unreachable is not damaged")
                .isInstanceOf(StorageUnavailableException.class);
    }

    @Test
    void damagedMetadataOrParametersAreReportedWithoutPathsOrAddresses() throws Exception {
        register(models, null);
        register(models, null);
        Path parameters = models.open("2").folder().resolve(ModelArchive.PARAMETERS);
        try (var connection = store.target.connect(store.name); var statement = connection.createStatement()) {
            statement.execute("UPDATE model_versions SET metadata = '{\"formatVersion\": 1}' WHERE version = 1");
            statement.execute("UPDATE model_versions SET metadata = jsonb_set(metadata, '{sha256}', '\"" + "0".repeat(64)
                    + "\"') WHERE version = 2");
        }
        ModelRepository.Scan scan = models.scan();
        assertThat(scan.versions()).extracting(ModelMetadata::version).containsExactly("2");
        assertThat(scan.corrupt()).containsOnlyKeys("1");
        assertThatThrownBy(() -> models.metadata("1")).isInstanceOf(DamagedModelException.class);
        assertThat(models.verify("1")).isPresent();
        assertThat(models.verify("2")).hasValueSatisfying(reason -> assertThat(reason).contains("SHA-256")
                .doesNotContain(store.folder.toString()));
        assertThat(parameters).exists();

        String url = store.target.jdbcUrl(store.name);
        String described = models.describe(new StorageUnavailableException("cannot reach " + url, null));
        assertThat(described).doesNotContain(url).doesNotContain("jdbc:");
        assertThat(models.describe(new java.nio.file.NoSuchFileException(parameters.toString())))
                .isEqualTo(ModelArchive.PARAMETERS + " is missing");
    }

    private static <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> future : pool.invokeAll(tasks)) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
