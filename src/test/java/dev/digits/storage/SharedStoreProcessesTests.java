package dev.digits.storage;

import dev.digits.support.PostgresServer;
import dev.digits.support.PostgresTarget;
import dev.digits.support.S3Server;
import dev.digits.support.S3Target;

/** The scale-out test on Debian's PostgreSQL and S3Proxy, for machines without Docker. */
class SharedStoreProcessesTests extends SharedStoreProcessesContract {

    @Override
    protected PostgresTarget postgres() {
        return PostgresServer.shared();
    }

    @Override
    protected S3Target s3() {
        return S3Server.shared();
    }
}
