package dev.digits.storage.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LISTEN digits_aliases} on a connection of its own, on a thread of its own: each
 * notification (an alias change committed by any replica) calls the listeners. A lost connection is
 * opened again, with growing pauses while the database is away; after a reconnection the listeners
 * are called once, for the changes that may have been missed meanwhile. The registry also polls, so a
 * notification that is lost anyway only makes a change late.
 */
final class AliasNotifications implements AutoCloseable {

    static final String CHANNEL = "digits_aliases";

    private static final Logger log = LoggerFactory.getLogger(AliasNotifications.class);
    private static final int WAIT_MILLIS = 250;
    /** A query now and then, so that a connection that died silently is noticed. */
    private static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long MIN_PAUSE_MILLIS = 250;
    private static final long MAX_PAUSE_MILLIS = 5_000;

    private final PostgresDatabase database;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private Thread thread;
    private volatile Connection connection;
    private volatile boolean listening;
    private volatile boolean closed;

    AliasNotifications(PostgresDatabase database) {
        this.database = database;
    }

    /** Adds a listener, and starts listening with the first. */
    synchronized void add(Runnable listener) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        listeners.add(listener);
        if (thread == null) {
            thread = new Thread(this::listen, "postgres-alias-listener");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Whether the LISTEN connection is open now. */
    boolean listening() {
        return listening;
    }

    private void listen() {
        boolean missed = false;
        long pause = MIN_PAUSE_MILLIS;
        while (!closed) {
            try (Connection opened = database.dedicatedConnection("digits-alias-listener")) {
                connection = opened;
                try (Statement statement = opened.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                listening = true;
                pause = MIN_PAUSE_MILLIS;
                if (missed) {
                    log.info("listening for alias changes again");
                    notifyListeners();
                    missed = false;
                }
                PGConnection postgres = opened.unwrap(PGConnection.class);
                long checked = System.nanoTime();
                while (!closed) {
                    PGNotification[] notifications = postgres.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        notifyListeners();
                    }
                    if (System.nanoTime() - checked > CHECK_EVERY_NANOS) {
                        try (Statement statement = opened.createStatement()) {
                            statement.execute("SELECT 1");
                        }
                        checked = System.nanoTime();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                if (listening || !missed) {
                    log.warn("lost the connection that listens for alias changes ({}); reconnecting, polling meanwhile",
                            describe(e));
                }
                missed = true;
            } finally {
                listening = false;
                connection = null;
            }
            pause(pause);
            pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
        }
    }

    private void notifyListeners() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("an alias listener failed: {}", e.toString());
            }
        }
    }

    /** The driver's words without the server's address. */
    private static String describe(Exception e) {
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            return "SQLState " + sql.getSQLState();
        }
        return e.getClass().getSimpleName();
    }

    private void pause(long millis) {
        if (closed) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = thread;
        }
        if (running == null) {
            return;
        }
        Connection open = connection;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        running.interrupt();
        try {
            running.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
