package dev.digits.storage.postgres;

import dev.digits.support.PostgresServer;
import dev.digits.support.PostgresTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link PostgresRestartContract} on a PostgreSQL cluster of this class's own (it is stopped and
 * started), made from the installed binaries.
 */
class PostgresRestartTests extends PostgresRestartContract {

    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.startNew();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected PostgresTarget target() {
        return server;
    }
}
