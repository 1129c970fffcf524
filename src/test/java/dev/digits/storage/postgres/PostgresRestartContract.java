package dev.digits.storage.postgres;

import static dev.digits.storage.postgres.PostgresJobsContract.job;
import static dev.digits.storage.postgres.PostgresModelsContract.awaitListening;
import static dev.digits.storage.postgres.PostgresModelsContract.staged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.digits.jobs.Job;
import dev.digits.model.ModelArchive;
import dev.digits.registry.StagedModel;
import dev.digits.storage.StorageUnavailableException;
import dev.digits.support.PostgresTarget;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped and started under the repositories: calls fail quickly as
 * {@link StorageUnavailableException} naming neither the address nor the credentials, and the same
 * repository objects work again once it is back, the alias listener included.
 */
abstract class PostgresRestartContract {

    private static final Duration LEASE = Duration.ofSeconds(30);

    /** A server of the test class's own, which the test stops and starts. */
    protected abstract PostgresTarget target();

    private PostgresStore store;

    @BeforeEach
    void createStore() {
        store = PostgresStore.create(target());
    }

    @AfterEach
    void closeStore() throws Exception {
        target().start(); // a failed test must not leave it stopped for the next
        store.close();
    }

    @Test
    void theRepositoriesFailCleanlyWhileItIsDownAndWorkAgainAfterwards() throws Exception {
        PostgresJobs jobs = new PostgresJobs(store.database(), store.blobs, store.home("a").resolve("checkpoints"));
        PostgresModels models = store.closeLater(new PostgresModels(store.database(), store.blobs, store.home("a")));
        PostgresDatasets datasets = new PostgresDatasets(store.database(), store.blobs);
        jobs.insert(job("before", Instant.now(), "key", false));
        String version;
        try (StagedModel staged = staged(models, null)) {
            version = models.register(staged);
        }

        target().stop();
        long started = System.nanoTime();
        assertUnavailable(() -> jobs.find("before"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a database that is down answers quickly")
                .isLessThan(Duration.ofSeconds(10));
        assertUnavailable(() -> jobs.claim("a", LEASE, false));
        assertUnavailable(() -> jobs.insert(job("during", Instant.now(), null, false)));
        assertUnavailable(() -> models.updateAliases(a -> {
            a.put("production", version);
            return a;
        }));
        try (StagedModel staged = staged(models, "job-9")) {
            assertUnavailable(() -> models.register(staged));
        }
        assertUnavailable(() -> datasets.addFeedback(PostgresDatasetsContract.images(1, 1)));

        target().start();
        assertThat(whenBack(() -> jobs.find("before"))).as("the same repository, without being recreated").isPresent();
        assertThat(jobs.find("during")).isEmpty();
        Job claimed = jobs.claim("a", LEASE, false).orElseThrow();
        assertThat(claimed.id()).isEqualTo("before");
        assertThat(jobs.renew("before", "a", LEASE)).isTrue();
        assertThat(models.updateAliases(a -> {
            a.put("production", version);
            return a;
        })).containsEntry("production", version);
        assertThat(models.versionNumbers()).containsExactly(version);
        assertThat(Files.exists(models.open(version).folder().resolve(ModelArchive.PARAMETERS))).isTrue();
        assertThat(datasets.addFeedback(PostgresDatasetsContract.images(2, 2))).isEqualTo(2);
    }

    @Test
    void theAliasListenerReconnectsAndStillDeliversNotifications() throws Exception {
        PostgresModels writer = store.closeLater(new PostgresModels(store.database(), store.blobs, store.home("a")));
        PostgresModels reader = store.closeLater(new PostgresModels(store.database(), store.blobs, store.home("b")));
        String version;
        try (StagedModel staged = staged(writer, null)) {
            version = writer.register(staged);
        }
        Semaphore changes = new Semaphore(0);
        reader.onAliasesChanged(changes::release);
        awaitListening(reader);

        target().stop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (reader.listening()) {
            assertThat(System.nanoTime()).as("noticed the lost connection").isLessThan(deadline);
            Thread.sleep(50);
        }
        target().start();
        awaitListening(reader);
        assertThat(changes.tryAcquire(2, TimeUnit.SECONDS))
                .as("told once after reconnecting, for what it may have missed").isTrue();
        changes.drainPermits();

        whenBack(writer::aliases);
        writer.updateAliases(a -> {
            a.put("production", version);
            return a;
        });
        assertThat(changes.tryAcquire(1, TimeUnit.SECONDS)).as("a change after the restart, within a second").isTrue();
    }

    /**
     * Connections the server cut (as a restart does) while they sat in the pool, one of them used
     * just before, so recently that the pool does not check it again: the next read and the next
     * transaction still succeed, on fresh connections.
     */
    @Test
    void connectionsCutUnderThePoolDoNotFailTheNextCall() throws Exception {
        PostgresDatabase database = store.database();
        PostgresJobs jobs = new PostgresJobs(database, store.blobs, store.home("a").resolve("checkpoints"));
        PostgresModels models = store.closeLater(new PostgresModels(database, store.blobs, store.home("a")));
        String version;
        try (StagedModel staged = staged(models, null)) {
            version = models.register(staged);
        }
        jobs.insert(job("job", Instant.now(), null, false));
        Thread.sleep(700); // the pool's other connections are idle long enough to be checked before use

        for (int round = 0; round < 3; round++) {
            assertThat(jobs.find("job")).isPresent(); // a connection used just now, unchecked at the next use
            assertThat(terminateConnections()).isPositive();
            assertThat(jobs.find("job")).as("a read after the cut").isPresent();

            assertThat(models.aliases()).isNotNull();
            terminateConnections();
            String alias = "round-" + round;
            assertThat(models.updateAliases(a -> {
                a.put(alias, version);
                return a;
            })).as("a transaction after the cut").containsEntry(alias, version);
        }
    }

    /** Ends every pooled connection to the store's database, as a restart of the server would. */
    private int terminateConnections() throws Exception {
        try (var connection = target().connect(store.name); var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND application_name = 'digits' AND pid <> pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /**
     * The first answer once the database is back. The pool reconnects by itself, but after a long
     * outage its reconnection attempts are a few seconds apart, so the first calls may still fail.
     */
    private static <T> T whenBack(Supplier<T> call) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return call.get();
            } catch (StorageUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    private void assertUnavailable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        String url = target().jdbcUrl(store.name);
        assertThatThrownBy(call).isInstanceOf(StorageUnavailableException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(url).doesNotContain("jdbc:")
                        .doesNotContain(target().password()).doesNotContain(target().username()));
    }
}
