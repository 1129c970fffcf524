package dev.digits.storage;

import dev.digits.support.PostgresContainerTarget;
import dev.digits.support.PostgresTarget;
import dev.digits.support.S3ContainerTarget;
import dev.digits.support.S3Target;
import org.junit.jupiter.api.AfterAll;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The scale-out test on PostgreSQL and MinIO containers, where Docker runs. */
@Testcontainers(disabledWithoutDocker = true)
class SharedStoreProcessesContainerTests extends SharedStoreProcessesContract {

    private PostgresContainerTarget postgres;
    private S3ContainerTarget s3;

    @Override
    protected PostgresTarget postgres() {
        if (postgres == null) {
            postgres = PostgresContainerTarget.startNew();
        }
        return postgres;
    }

    @Override
    protected S3Target s3() {
        if (s3 == null) {
            s3 = S3ContainerTarget.startNew();
        }
        return s3;
    }

    @AfterAll
    void stopContainers() {
        if (postgres != null) {
            postgres.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }
}
