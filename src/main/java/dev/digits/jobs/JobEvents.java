package dev.digits.jobs;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Delivers a job's events to its subscribers (the SSE streams). A job that this replica runs
 * publishes every batch; one that another replica runs is followed by reading the shared store,
 * so a stream gives the same answers on every replica.
 */
@Component
class JobEvents implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);
    private static final long FOLLOW_EVERY_MILLIS = 500;
    /** A job published here this recently runs here: reading the store would only go back in time. */
    private static final long LOCAL_QUIET_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final JobRepository repository;
    private final Map<String, List<Consumer<JobEvent>>> listeners = new ConcurrentHashMap<>();
    private final Map<String, Job> lastSent = new ConcurrentHashMap<>();
    private final Map<String, Long> lastLocal = new ConcurrentHashMap<>();
    private final ScheduledExecutorService follower = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "job-events-follow");
        thread.setDaemon(true);
        return thread;
    });

    JobEvents(JobRepository repository) {
        this.repository = repository;
        if (repository.shared()) {
            follower.scheduleWithFixedDelay(this::followStore, FOLLOW_EVERY_MILLIS, FOLLOW_EVERY_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** @return the unsubscribe action */
    Runnable subscribe(Job current, Consumer<JobEvent> listener) {
        String id = current.id();
        lastSent.putIfAbsent(id, current);
        listeners.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.getOrDefault(id, List.of()).remove(listener);
    }

    /** An event of a job this replica changed. */
    void publish(JobEvent event) {
        lastLocal.put(event.job().id(), System.nanoTime());
        deliver(event);
    }

    private void deliver(JobEvent event) {
        String id = event.job().id();
        lastSent.put(id, event.job());
        for (Consumer<JobEvent> listener : listeners.getOrDefault(id, List.of())) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.debug("event listener failed: {}", e.getMessage());
            }
        }
        if (event.job().state().isFinished()) {
            listeners.remove(id);
            lastSent.remove(id);
            lastLocal.remove(id);
        }
    }

    /** Turns changes that other replicas stored into events for the streams open here. */
    private void followStore() {
        for (String id : List.copyOf(listeners.keySet())) {
            Long local = lastLocal.get(id);
            if (local != null && System.nanoTime() - local < LOCAL_QUIET_NANOS) {
                continue;
            }
            try {
                repository.find(id).ifPresent(stored -> {
                    Job sent = lastSent.get(id);
                    if (!stored.equals(sent)) {
                        deliver(new JobEvent(kindOfChange(sent, stored), stored));
                    }
                });
            } catch (RuntimeException e) {
                log.debug("cannot follow job {}: {}", id, e.getMessage());
            }
        }
    }

    private static String kindOfChange(Job before, Job after) {
        if (before == null || before.state() != after.state()) {
            return "state";
        }
        return before.history().size() != after.history().size() ? "epoch" : "progress";
    }

    @Override
    public void destroy() {
        follower.shutdownNow();
    }
}
