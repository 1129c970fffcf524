package dev.digits.storage.postgres;

import com.zaxxer.hikari.HikariDataSource;
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

    /** Creates or updates the schema (classpath:db/migration); replicas starting together take turns. */
    public void migrate() {
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
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
     * A query that changes nothing. Outside a transaction it is tried once more on another
     * connection when the one it had was cut (the pool drops it), so that the first request after a
     * restart of PostgreSQL does not fail because of a connection the restart cut. When no
     * connection could be had at all, the pool has waited long enough: no second try.
     */
    <T> T read(Supplier<T> query) {
        try {
            return query.get();
        } catch (RuntimeException e) {
            if (!isConnectionFailure(e) || noConnection(e) || TransactionSynchronizationManager.isActualTransactionActive()) {
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

    /** A statement that changes something: never repeated, since it may have been applied. */
    <T> T write(Supplier<T> statement) {
        try {
            return statement.get();
        } catch (RuntimeException e) {
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
     * of it is committed, or none of it.
     */
    <T> T inTransaction(TransactionCallback<T> work) {
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
        }
        return false;
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
