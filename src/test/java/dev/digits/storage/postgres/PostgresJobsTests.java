package dev.digits.storage.postgres;

import dev.digits.support.PostgresServer;
import dev.digits.support.PostgresTarget;

/** {@link PostgresJobsContract} on a PostgreSQL cluster made from the installed binaries (no Docker). */
class PostgresJobsTests extends PostgresJobsContract {

    @Override
    protected PostgresTarget target() {
        return PostgresServer.shared();
    }
}
