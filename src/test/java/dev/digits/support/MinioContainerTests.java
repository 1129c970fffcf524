package dev.digits.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The same contract as {@link S3ServerTests}, on MinIO in a container. Skipped where there is no Docker. */
@Testcontainers(disabledWithoutDocker = true)
class MinioContainerTests extends S3TargetContract {

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
