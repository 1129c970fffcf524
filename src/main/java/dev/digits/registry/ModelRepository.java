package dev.digits.registry;

import dev.digits.model.ModelMetadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The port to wherever model versions and aliases are kept: folders on one filesystem, or
 * PostgreSQL for the metadata and object storage for the parameters. The store is the truth and
 * every replica may share it; the registry only caches what it read.
 *
 * <p>Versions are numbered 1, 2, 3… by the store. A version is written locally first
 * ({@link #stage()}), and {@link #register registered} in one step that either completes or leaves
 * nothing behind.
 */
public interface ModelRepository {

    /**
     * Every readable version, oldest first, and the versions that could not be read with the
     * reason. Only the metadata is read; {@link #verify} checks the parameters too.
     */
    Scan scan();

    /** The version numbers in the store, readable or not, oldest first. */
    List<String> versionNumbers();

    boolean exists(String version);

    /**
     * @throws UnknownModelException if there is no such version
     * @throws DamagedModelException if its metadata cannot be read
     */
    ModelMetadata metadata(String version);

    /**
     * Checks a version completely without loading it: its metadata, the checksum of its parameters
     * and their layout.
     *
     * @return why the version cannot be used, or empty if it can
     */
    Optional<String> verify(String version);

    /** A local place to write a model archive that may become a version. */
    StagedModel stage();

    /**
     * Turns a complete staged archive into the next version, atomically; a staged model that
     * records the job that trained it becomes a version at most once, and registering it again
     * answers the version it already became.
     *
     * @return the version number
     */
    String register(StagedModel staged);

    /**
     * The version's files, verified and readable locally (a store that keeps them remotely
     * downloads them to a local cache first).
     */
    OpenedModel open(String version);

    /** Removes a version: it disappears at once and completely. */
    void delete(String version);

    Map<String, String> aliases();

    /** Reads, changes and writes the aliases as one transaction that every replica honours. */
    Map<String, String> updateAliases(UnaryOperator<Map<String, String>> change);

    /**
     * Calls {@code listener} soon after another replica changes the aliases, where the store can
     * tell; the registry also polls, so a store that cannot tell does nothing here.
     */
    default void onAliasesChanged(Runnable listener) {
    }

    /** Removes what writes interrupted by a crash left behind; none of it ever became a version. */
    void removeAbandonedStaging();

    /**
     * What went wrong, in words a response may carry: never a filesystem path or a store's
     * address.
     */
    String describe(Throwable e);

    record Scan(List<ModelMetadata> versions, Map<String, String> corrupt) {
    }
}
