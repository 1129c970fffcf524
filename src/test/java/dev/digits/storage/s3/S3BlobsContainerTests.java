package dev.digits.storage.s3;

import dev.digits.support.S3ContainerTarget;
import dev.digits.support.S3Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Testcontainers;

/** {@link S3Blobs} on MinIO in a container. Skipped where there is no Docker. */
@Testcontainers(disabledWithoutDocker = true)
class S3BlobsContainerTests extends S3BlobsContract {

    private static S3ContainerTarget container;

    @BeforeAll
    static void startContainer() {
        container = S3ContainerTarget.startNew();
    }

    @AfterAll
    static void removeContainer() {
        if (container != null) {
            container.close();
        }
    }

    @Override
    protected S3Target target() {
        return container;
    }
}
