package dev.digits.storage.postgres;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.digits.storage.StorageUnavailableException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Properties;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The PostgreSQL database of {@code digits.store=postgres}: a Hikari pool, its schema (Flyway), and
 * the one place where a database that cannot be reached becomes a
 * {@link StorageUnavailableException} whose message names neither its address nor its user.
 *
 * <p>The pool gives up on a connection after a few seconds, so that a request to a database that is
 * down answers quickly, and replaces broken connections by itself once the database is back: no
 * repository is recreated after a restart of PostgreSQL.
 */
public final class PostgresDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);

    /** How long a request waits for a connection before the database counts as unreachable. */
    static final long CONNECTION_TIMEOUT_MILLIS = 3_000;
    static final String UNREACHABLE = "the database cannot be reached";

    private final HikariDataSource pool;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public PostgresDatabase(HikariDataSource pool) {
        this.pool = pool;
        this.jdbc = new JdbcTemplate(pool);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
    }

    /**
     * A pool with the settings this store relies on; {@code spring.datasource.hikari.*} may change
     * them afterwards. It connects lazily, so that building it needs no database.
     */
    public static HikariDataSource pool(String url, String username, String password) {
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("digits.store=postgres needs spring.datasource.url (jdbc:postgresql://host:port/database)");
        }
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("digits-postgres");
        pool.setJdbcUrl(url);
        pool.setUsername(username);
        pool.setPassword(password);
        pool.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        pool.setValidationTimeout(1_000);
        pool.setMaximumPoolSize(10);
        // Never fail at construction: a database that is down fails requests (503) until it is back.
        pool.setInitializationFailTimeout(-1);
        pool.addDataSourceProperty("connectTimeout", "3");
        pool.addDataSourceProperty("tcpKeepAlive", "true");
        // A connection whose server vanished without closing it (a network cut) fails instead of hanging.
        pool.addDataSourceProperty("socketTimeout", "60");
        pool.addDataSourceProperty("ApplicationName", "digits");
        return pool;
    }

    /**
     * Creates or updates the schema (classpath:db/migration); replicas starting together take turns.
     * A database that cannot be reached yet is waited for.
     */
    public void migrate() {
        try {
            // A replica may start before its database (compose, a node restart) or while it is too busy to
            // answer in the pool's 3 s: wait for it up to about two minutes rather than exit.
            Flyway.configure().dataSource(pool).locations("classpath:db/migration")
                    .connectRetries(60).connectRetriesInterval(2).load().migrate();
        } catch (RuntimeException e) {
            if (isConnectionFailure(e)) {
                throw new StorageUnavailableException(UNREACHABLE + " to create or update its schema", e);
            }
            throw new IllegalStateException("cannot create or update the database schema: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }

    /**
     * A query that changes nothing. Outside a transaction it is tried once more on a fresh connection
     * when the one it had was cut, so that the first request after a restart of PostgreSQL does not
     * fail because of a connection the restart cut. When no connection could be had at all, the pool
     * has waited long enough: no second try.
     */
    <T> T read(Supplier<T> query) {
        try {
            return query.get();
        } catch (RuntimeException e) {
            if (!connectionCut(e) || TransactionSynchronizationManager.isActualTransactionActive()) {
                throw translate(e);
            }
            log.debug("retrying a read after a connection failure: {}", e.toString());
            try {
                return query.get();
            } catch (RuntimeException again) {
                throw translate(again);
            }
        }
    }

    /**
     * A statement that changes something: never repeated, since it may have been applied before its
     * connection was cut (but a cut still replaces the pool's connections for the next call).
     */
    <T> T write(Supplier<T> statement) {
        try {
            return statement.get();
        } catch (RuntimeException e) {
            connectionCut(e);
            throw translate(e);
        }
    }

    void write(Runnable statement) {
        write(() -> {
            statement.run();
            return null;
        });
    }

    /**
     * Runs {@code work} in a transaction (or in the caller's, if one is active on this thread): all
     * of it is committed, or none of it. A transaction of its own that fails because its connection
     * was cut before it reached the commit is run once more on another connection: the database
     * rolled it back, so nothing of it happened. A failure during the commit is not repeated, since
     * the commit may have been applied.
     */
    <T> T inTransaction(TransactionCallback<T> work) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return joined(work);
        }
        boolean[] reachedCommit = {false};
        try {
            return transactions.execute(status -> {
                T result = work.doInTransaction(status);
                reachedCommit[0] = true;
                return result;
            });
        } catch (RuntimeException e) {
            if (!connectionCut(e) || reachedCommit[0]) {
                throw translate(e);
            }
            log.debug("repeating a transaction whose connection was cut: {}", e.toString());
            try {
                return transactions.execute(work);
            } catch (RuntimeException again) {
                throw translate(again);
            }
        }
    }

    /** Part of the caller's transaction: a failure is the caller's to handle (and repeat). */
    private <T> T joined(TransactionCallback<T> work) {
        try {
            return transactions.execute(work);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /**
     * A connection of its own, outside the pool, for LISTEN: the caller keeps it open as long as it
     * listens and closes it.
     */
    Connection dedicatedConnection(String applicationName) throws SQLException {
        Properties properties = new Properties();
        properties.putAll(pool.getDataSourceProperties());
        properties.remove("socketTimeout"); // a listener waits for notifications with its own timeout
        if (pool.getUsername() != null) {
            properties.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            properties.setProperty("password", pool.getPassword());
        }
        properties.setProperty("ApplicationName", applicationName);
        properties.putIfAbsent("connectTimeout", "3");
        properties.putIfAbsent("tcpKeepAlive", "true");
        return DriverManager.getConnection(pool.getJdbcUrl(), properties);
    }

    /**
     * {@code e} as a {@link StorageUnavailableException} if it says the database cannot be reached
     * (no connection, a connection cut, the server shutting down or starting), else {@code e}.
     */
    static RuntimeException translate(RuntimeException e) {
        if (e instanceof StorageUnavailableException || !isConnectionFailure(e)) {
            return e;
        }
        return new StorageUnavailableException(UNREACHABLE, e);
    }

    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
                    || t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessResourceException
                    || t instanceof RecoverableDataAccessException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && isConnectionState(sql.getSQLState())) {
                return true;
            }
            // A rollback that failed after the statement that failed: the statement's failure says why.
            if (t instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
                    && isConnectionFailure(rollback.getApplicationException())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code e} says that a connection broke while in use. Then the server was probably
     * restarted and every connection in the pool is cut too, though the pool would not check one
     * that was used a moment ago: they are all replaced, so that the next call gets a fresh one.
     */
    private boolean connectionCut(RuntimeException e) {
        if (!isConnectionFailure(e) || noConnection(e)) {
            return false;
        }
        HikariPoolMXBean connections = pool.getHikariPoolMXBean();
        if (connections != null) {
            connections.softEvictConnections();
        }
        return true;
    }

    /** The pool could not hand out a connection (as opposed to one that broke while in use). */
    private static boolean noConnection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLState class 08 (connection exception), 57P01–57P04 (the server shutting down, crashed,
     * starting, or the database dropped) and 53300 (too many connections).
     */
    static boolean isConnectionState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"));
    }

    @Override
    public void close() {
        pool.close();
    }
}
