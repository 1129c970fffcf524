package dev.digits.registry;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.digits.model.Architectures;
import dev.digits.model.BatchNormFolding;
import dev.digits.model.ModelArchive;
import dev.digits.model.ModelMetadata;
import dev.digits.storage.StorageUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Service;

/**
 * Model versions and aliases, and the model behind {@code production} in memory.
 *
 * <p>A swap is load → warm up → switch → drain → close: the new version is fully ready before
 * requests see it, requests that started on the old one finish on it, and the old one's native
 * memory is freed when its last request releases it. If loading fails, nothing changes.
 */
@Service
public class ModelRegistry implements InitializingBean, DisposableBean {

    public static final String PRODUCTION = "production";
    public static final String PREVIOUS = "previous";

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final ModelRepository store;
    private final Device device;
    private final RegistryProperties properties;
    private final Counter swaps;
    private final Timer loadTime;
    private final MultiGauge productionInfo;
    private final AtomicReference<LoadedModel> production = new AtomicReference<>();
    /** The aliases as last read or written, so that resolving one does not read the store per request. */
    private volatile Map<String, String> knownAliases = Map.of();
    private final Map<String, LoadedModel> others = new LinkedHashMap<>(4, 0.75f, true);
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "registry-alias-refresh");
        thread.setDaemon(true);
        return thread;
    });
    /** Versions found damaged by the start-up verification or by a failed load, with the reason. */
    private final Map<String, String> damaged = new ConcurrentHashMap<>();
    private volatile boolean verified;
    /** Set while the version production points at cannot be served and another one serves instead. */
    private volatile Degraded degraded;

    public ModelRegistry(ModelRepository store, RegistryProperties properties, Device device, MeterRegistry meters) {
        this.store = store;
        this.properties = properties;
        this.device = device;
        this.swaps = Counter.builder("digits.models.swaps").description("Production model swaps").register(meters);
        this.loadTime = Timer.builder("digits.models.load").description("Loading and warming a model version")
                .register(meters);
        this.productionInfo = MultiGauge.builder("digits.models.production.info")
                .description("1 for the version serving production").register(meters);
    }

    @Override
    public void afterPropertiesSet() {
        store.removeAbandonedStaging();
        Map<String, String> aliases = remember(store.updateAliases(current -> {
            if (store.scan().versions().isEmpty()) {
                String version = importBundled();
                log.info("empty store: registered the bundled model as version {} and made it production", version);
                current.put(PRODUCTION, version);
            }
            return current;
        }));
        String version = aliases.get(PRODUCTION);
        if (version == null) {
            throw new IllegalStateException("the store has versions but no 'production' alias; promote one");
        }
        production.set(loadProductionOrFallback(version, aliases.get(PREVIOUS)));
        publishProductionInfo();
        Thread verifier = new Thread(this::verifyAll, "registry-verify");
        verifier.setDaemon(true);
        verifier.start();
        store.onAliasesChanged(this::followStore);
        long every = properties.aliasRefresh().toMillis();
        refresher.scheduleWithFixedDelay(this::followStore, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Production, or, if its files are damaged, the newest version that loads among {@code previous}
     * and the versions older than production: one bad file must not keep every replica of a shared
     * store from starting. The aliases are left as they are (they are the store's truth, shared by
     * every replica); the health of {@code models} goes DOWN until production is repaired or another
     * version is promoted.
     */
    private LoadedModel loadProductionOrFallback(String version, String previous) {
        try {
            LoadedModel loaded = load(version);
            log.info("serving model version {} ({})", version, loaded.metadata().architecture());
            return loaded;
        } catch (ModelLoadException | DamagedModelException | UnknownModelException e) {
            String reason = reasonOf(e);
            damaged.put(version, reason);
            log.error("production model version {} is damaged and cannot be served: {}", version, reason);
            for (String candidate : fallbacks(version, previous)) {
                try {
                    LoadedModel loaded = load(candidate);
                    degraded = new Degraded(version, reason, candidate);
                    log.error("serving model version {} instead of damaged production version {} until production is "
                            + "repaired or another version is promoted", candidate, version);
                    return loaded;
                } catch (ModelLoadException | DamagedModelException other) {
                    damaged.put(candidate, reasonOf(other));
                    log.error("fallback model version {} cannot be served either: {}", candidate, reasonOf(other));
                }
            }
            throw new IllegalStateException("production model version " + version + " cannot be served (" + reason
                    + ") and neither can 'previous' nor any older version", e);
        }
    }

    /** {@code previous} first (it served last), then the versions older than production, newest first. */
    private List<String> fallbacks(String version, String previous) {
        List<String> candidates = new ArrayList<>();
        if (previous != null && !previous.equals(version) && store.exists(previous)) {
            candidates.add(previous);
        }
        long newest = version.matches("[0-9]{1,9}") ? Long.parseLong(version) : Long.MAX_VALUE;
        List<String> older = new ArrayList<>(store.versionNumbers().stream()
                .filter(v -> Long.parseLong(v) < newest && !v.equals(previous)).toList());
        Collections.reverse(older);
        candidates.addAll(older);
        return candidates;
    }

    /** Checks every version's checksum and layout once, in the background, so start-up does not wait for it. */
    private void verifyAll() {
        try {
            String loaded = productionVersion();
            for (String version : store.versionNumbers()) {
                if (refresher.isShutdown()) {
                    return; // the registry was closed
                }
                if (version.equals(loaded)) {
                    continue; // loaded, so verified, at start
                }
                store.verify(version).ifPresent(reason -> {
                    damaged.put(version, reason);
                    log.warn("model version {} is damaged: {}", version, reason);
                });
            }
            verified = true;
            log.info("verified the checksums of the {} model versions", store.versionNumbers().size());
        } catch (RuntimeException e) {
            log.warn("cannot verify the model versions: {}", e.getMessage());
        }
    }

    /**
     * Set while the version that {@code production} points at cannot be served.
     *
     * @param productionVersion the version the alias points at
     * @param reason why it cannot be served
     * @param servingVersion the version serving instead
     */
    public record Degraded(String productionVersion, String reason, String servingVersion) {
    }

    /** Non-null while production is damaged and another version serves in its place. */
    public Degraded degraded() {
        return degraded;
    }

    /** Whether the start-up verification of every version's checksum has finished. */
    public boolean verified() {
        return verified;
    }

    /** The production model, retained for the caller, who must {@link LoadedModel#release()} it. */
    public LoadedModel acquireProduction() {
        while (true) {
            LoadedModel current = production.get();
            if (current.retain()) {
                return current;
            }
        }
    }

    /** A version or alias (null means production), retained for the caller. */
    public LoadedModel acquire(String versionOrAlias) {
        if (versionOrAlias == null || versionOrAlias.isBlank() || PRODUCTION.equals(versionOrAlias)) {
            return acquireProduction();
        }
        String version = resolve(versionOrAlias);
        LoadedModel current = production.get();
        if (version.equals(current.version()) && current.retain()) {
            return current;
        }
        synchronized (others) {
            LoadedModel loaded = others.get(version);
            if (loaded == null || !loaded.retain()) {
                loaded = load(version);
                others.put(version, loaded);
                loaded.retain();
                evictOthers();
            }
            return loaded;
        }
    }

    public String productionVersion() {
        return production.get().version();
    }

    /** An alias or a version number → the version number. */
    public String resolve(String versionOrAlias) {
        String aliased = knownAliases.get(versionOrAlias);
        if (aliased == null) {
            if (store.exists(versionOrAlias)) {
                return versionOrAlias;
            }
            // Perhaps an alias another replica made since the last refresh.
            aliased = rereadAliases().get(versionOrAlias);
        }
        String version = aliased != null ? aliased : versionOrAlias;
        if (!store.exists(version)) {
            throw new UnknownModelException(versionOrAlias);
        }
        return version;
    }

    public List<ModelMetadata> versions() {
        return store.scan().versions();
    }

    public ModelMetadata metadata(String versionOrAlias) {
        return store.metadata(resolve(versionOrAlias));
    }

    public Map<String, String> aliases() {
        return store.aliases();
    }

    /**
     * Versions whose folders cannot be read, or whose parameters failed their checksum or layout
     * (at start or when loaded), with the reason; they are reported in the health details.
     */
    public Map<String, String> corruptVersions() {
        Map<String, String> corrupt = new TreeMap<>(Comparator.comparingInt(Integer::parseInt));
        corrupt.putAll(store.scan().corrupt());
        damaged.forEach((version, reason) -> {
            if (store.exists(version)) {
                corrupt.putIfAbsent(version, reason);
            }
        });
        return corrupt;
    }

    /** A local place to write a model that {@link #register} can turn into a version. */
    public StagedModel stage() {
        return store.stage();
    }

    /** A version's files, readable locally: for exporting it or fine-tuning from it. */
    public OpenedModel open(String version) {
        return store.open(version);
    }

    /**
     * Points {@code alias} at {@code version}. For {@code production}, the version is loaded and
     * warmed first and the old production version becomes {@code previous}; if loading fails the
     * aliases stay as they were.
     */
    public synchronized Map<String, String> promote(String versionOrAlias, String alias) {
        String version = resolve(versionOrAlias);
        if (!PRODUCTION.equals(alias)) {
            return remember(store.updateAliases(aliases -> {
                aliases.put(alias, version);
                return aliases;
            }));
        }
        LoadedModel incoming = version.equals(productionVersion()) ? null : load(version);
        Map<String, String> aliases;
        try {
            aliases = remember(store.updateAliases(current -> {
                String old = current.get(PRODUCTION);
                if (old != null && !old.equals(version)) {
                    current.put(PREVIOUS, old);
                }
                current.put(PRODUCTION, version);
                return current;
            }));
        } catch (RuntimeException e) {
            if (incoming != null) {
                incoming.release(); // the aliases were not written (a full disk): nothing changes
            }
            throw e;
        }
        if (incoming != null) {
            switchTo(incoming);
        }
        degraded = null;
        return aliases;
    }

    /** Production goes back to {@code previous}, and {@code previous} to what production was. */
    public synchronized Map<String, String> rollback() {
        String previous = store.aliases().get(PREVIOUS);
        if (previous == null) {
            throw new RollbackUnavailableException();
        }
        return promote(previous, PRODUCTION);
    }

    public synchronized void delete(String version) {
        String resolved = resolve(version);
        if (!resolved.equals(version)) {
            throw new UnknownModelException(version);
        }
        List<String> users = store.aliases().entrySet().stream().filter(e -> e.getValue().equals(version))
                .map(Map.Entry::getKey).sorted().toList();
        if (!users.isEmpty() || version.equals(productionVersion())) {
            throw new ModelInUseException(version, users.isEmpty() ? List.of(PRODUCTION) : users);
        }
        synchronized (others) {
            LoadedModel loaded = others.remove(version);
            if (loaded != null) {
                loaded.release();
            }
        }
        store.delete(version);
        damaged.remove(version);
        log.info("deleted model version {}", version);
    }

    /** Registers a finished staged model as a new version (or answers the version its job already made). */
    public String register(StagedModel staged) {
        String version = store.register(staged);
        log.info("registered model version {}", version);
        return version;
    }

    /** Follows alias changes made by another replica (or by hand) in the shared store. */
    synchronized void followStore() {
        String wanted = null;
        try {
            wanted = remember(store.aliases()).get(PRODUCTION);
            Degraded current = degraded;
            if (wanted == null || wanted.equals(productionVersion())
                    || (current != null && wanted.equals(current.productionVersion()))) {
                return; // nothing changed, or the alias still points at the damaged version: reported already
            }
            log.info("production alias changed in the store to {}; swapping", wanted);
            switchTo(load(wanted));
            degraded = null;
        } catch (ModelLoadException | DamagedModelException e) {
            String reason = reasonOf(e);
            damaged.put(wanted, reason);
            degraded = new Degraded(wanted, reason, productionVersion());
            log.error("production model version {} is damaged and cannot be served: {}; version {} keeps serving",
                    wanted, reason, productionVersion());
        } catch (RuntimeException e) {
            // The store unavailable included: the alias is read again at the next notification or poll.
            log.warn("cannot follow the store's production alias: {}", e.getMessage());
        }
    }

    private static String reasonOf(RuntimeException e) {
        return e instanceof ModelLoadException load ? load.reason() : e.getMessage();
    }

    /** Locked like the alias writers, so that an older read cannot replace the map a promotion just stored. */
    private synchronized Map<String, String> rereadAliases() {
        return remember(store.aliases());
    }

    private Map<String, String> remember(Map<String, String> aliases) {
        knownAliases = aliases;
        return aliases;
    }

    private void switchTo(LoadedModel incoming) {
        LoadedModel outgoing = production.getAndSet(incoming);
        swaps.increment();
        publishProductionInfo();
        log.info("production model swapped from version {} to {}", outgoing.version(), incoming.version());
        outgoing.release();
    }

    private void publishProductionInfo() {
        LoadedModel current = production.get();
        productionInfo.register(List.of(MultiGauge.Row.of(Tags.of("version", current.version(),
                "architecture", current.metadata().architecture()), 1)), true);
    }

    LoadedModel load(String version) {
        return loadTime.record(() -> loadAndWarm(version));
    }

    private LoadedModel loadAndWarm(String version) {
        Model model = null;
        try {
            OpenedModel opened = store.open(version);
            ModelMetadata metadata = opened.metadata();
            model = ModelArchive.load(opened.folder(), metadata, device);
            // A served version never trains (LoadedModel), so its batch norms can be folded into the
            // convolutions before them: the same answers for less work per image.
            model.setBlock(BatchNormFolding.fold(model.getBlock(), model.getNDManager()));
            warmUp(model);
            return new LoadedModel(metadata, model);
        } catch (UnknownModelException | DamagedModelException | StorageUnavailableException e) {
            // Unavailable is not damaged: the version is fine and loads once the store is back.
            if (model != null) {
                model.close();
            }
            throw e;
        } catch (IOException | RuntimeException | TranslateException e) {
            if (model != null) {
                model.close();
            }
            throw new ModelLoadException(version, store.describe(e), e);
        }
    }

    /** One forward pass, so the first real request does not pay for lazy native initialisation. */
    private static void warmUp(Model model) throws TranslateException {
        try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
             NDManager manager = model.getNDManager().newSubManager()) {
            predictor.predict(new NDList(manager.zeros(Architectures.inputShape(1))));
        }
    }

    private String importBundled() {
        try (StagedModel staging = store.stage()) {
            BundledModel.copyTo(staging.folder());
            return store.register(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot import the bundled model", e);
        }
    }

    private void evictOthers() {
        while (others.size() > properties.maxLoadedVersions()) {
            Map.Entry<String, LoadedModel> eldest = others.entrySet().iterator().next();
            others.remove(eldest.getKey());
            eldest.getValue().release();
        }
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
        synchronized (others) {
            others.values().forEach(LoadedModel::release);
            others.clear();
        }
        LoadedModel current = production.getAndSet(null);
        if (current != null) {
            current.release();
        }
    }
}
