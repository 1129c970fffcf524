package dev.digits.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * What the store's tests rely on from a {@link PostgresTarget}, checked on each kind: plain JDBC,
 * isolated databases, data that outlives a restart at the same address, and LISTEN/NOTIFY.
 */
abstract class PostgresTargetContract {

    /** The server under test; a test here may stop and start it. */
    protected abstract PostgresTarget target();

    @Test
    void eachCallCreatesItsOwnEmptyDatabase() throws SQLException {
        String first = target().createDatabase();
        String second = target().createDatabase();
        assertThat(first).isNotEqualTo(second);
        try (Connection connection = target().connect(first); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE only_here (id int)");
        }
        try (Connection connection = target().connect(second); Statement statement = connection.createStatement();
                ResultSet tables = statement.executeQuery(
                        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'only_here'")) {
            tables.next();
            assertThat(tables.getInt(1)).isZero();
        }
    }

    @Test
    void committedRowsOutliveARestartAtTheSameAddress() throws SQLException {
        String database = target().createDatabase();
        String url = target().jdbcUrl(database);
        try (Connection connection = target().connect(database); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE models (id text PRIMARY KEY, bytes bytea NOT NULL)");
            statement.execute("INSERT INTO models VALUES ('v1', '\\x0102ff')");
        }

        try (Connection open = target().connect(database)) {
            target().stop();
            assertThatThrownBy(() -> {
                try (Statement statement = open.createStatement()) {
                    statement.executeQuery("SELECT 1");
                }
            }).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> target().connect(database).close())
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));
        } finally {
            target().start();
        }

        assertThat(target().jdbcUrl(database)).isEqualTo(url);
        try (Connection connection = target().connect(database); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, bytes FROM models")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString("id")).isEqualTo("v1");
            assertThat(rows.getBytes("bytes")).containsExactly(1, 2, 0xff);
            assertThat(rows.next()).isFalse();
        }
    }

    @Test
    void notificationsReachAListenerOnAnotherConnection() throws SQLException {
        String database = target().createDatabase();
        try (Connection listener = target().connect(database); Connection notifier = target().connect(database)) {
            try (Statement statement = listener.createStatement()) {
                statement.execute("LISTEN model_events");
            }
            try (Statement statement = notifier.createStatement()) {
                statement.execute("NOTIFY model_events, 'production:v7'");
                statement.execute("SELECT pg_notify('model_events', 'archived:v3')");
            }

            List<String> received = new ArrayList<>();
            PGConnection pg = listener.unwrap(PGConnection.class);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (received.size() < 2 && System.nanoTime() < deadline) {
                PGNotification[] notifications = pg.getNotifications(1000);
                if (notifications != null) {
                    for (PGNotification notification : notifications) {
                        assertThat(notification.getName()).isEqualTo("model_events");
                        received.add(notification.getParameter());
                    }
                }
            }
            assertThat(received).containsExactly("production:v7", "archived:v3");
        }
    }
}
