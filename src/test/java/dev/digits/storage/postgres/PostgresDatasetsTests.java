package dev.digits.storage.postgres;

import dev.digits.support.PostgresServer;
import dev.digits.support.PostgresTarget;

/** {@link PostgresDatasetsContract} on a PostgreSQL cluster made from the installed binaries (no Docker). */
class PostgresDatasetsTests extends PostgresDatasetsContract {

    @Override
    protected PostgresTarget target() {
        return PostgresServer.shared();
    }
}
