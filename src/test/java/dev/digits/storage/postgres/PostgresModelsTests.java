package dev.digits.storage.postgres;

import dev.digits.support.PostgresServer;
import dev.digits.support.PostgresTarget;

/** {@link PostgresModelsContract} on a PostgreSQL cluster made from the installed binaries (no Docker). */
class PostgresModelsTests extends PostgresModelsContract {

    @Override
    protected PostgresTarget target() {
        return PostgresServer.shared();
    }
}
