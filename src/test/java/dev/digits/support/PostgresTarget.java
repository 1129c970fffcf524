package dev.digits.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A real PostgreSQL server for a test: {@link PostgresServer} (Debian's binaries, no Docker) or
 * {@link PostgresContainerTarget} (Testcontainers, where Docker exists). Write the test against this,
 * and run it against either.
 */
public interface PostgresTarget {

    /** A new, empty database, unique per call, so that each test class has its own. */
    String createDatabase();

    /** {@code jdbc:postgresql://host:port/database}. */
    String jdbcUrl(String database);

    /** A superuser of the server. */
    String username();

    String password();

    /**
     * Stops the server (fast shutdown: open connections are cut, committed data stays). Calls fail
     * with a connection error until {@link #start()}.
     */
    void stop();

    /** Starts the stopped server again, with its data, at the same address (host and port). */
    void start();

    /** A new JDBC connection to {@code database}; the caller closes it. */
    default Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), username(), password());
    }
}
