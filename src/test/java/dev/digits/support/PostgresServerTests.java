package dev.digits.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresServer}: Debian's PostgreSQL binaries, no Docker. The contract runs on a cluster of
 * its own (it stops the server); the shared cluster is checked apart. Skipped where no PostgreSQL
 * binaries are installed.
 */
class PostgresServerTests extends PostgresTargetContract {

    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.startNew();
    }

    @AfterAll
    static void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected PostgresTarget target() {
        return server;
    }

    @Test
    void theSharedClusterIsOnePerJvm() throws SQLException {
        PostgresServer shared = PostgresServer.shared();
        assertThat(PostgresServer.shared()).isSameAs(shared);
        assertThat(shared.port()).isNotEqualTo(server.port()).isNotEqualTo(5432);
        String database = shared.createDatabase();
        try (Connection connection = shared.connect(database); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_database(), current_user, version()")) {
            row.next();
            assertThat(row.getString(1)).isEqualTo(database);
            assertThat(row.getString(2)).isEqualTo(shared.username());
            assertThat(row.getString(3)).startsWith("PostgreSQL");
        }
    }

    @Test
    void aCrashLosesNoCommittedRow() throws SQLException {
        String database = server.createDatabase();
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE jobs (id int PRIMARY KEY)");
            statement.execute("INSERT INTO jobs SELECT generate_series(1, 1000)");
        }
        server.crash();
        assertThat(server.running()).isFalse();
        server.start();
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("SELECT count(*) FROM jobs")) {
            count.next();
            assertThat(count.getInt(1)).isEqualTo(1000);
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        String database = server.createDatabase();
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                java.sql.DriverManager.getConnection(server.jdbcUrl(database), server.username(), "wrong").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }
}
