package dev.digits.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The same contract as {@link PostgresServerTests}, on PostgreSQL in a container. Skipped where there
 * is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class PostgresContainerTests extends PostgresTargetContract {

    private static PostgresContainerTarget container;

    @BeforeAll
    static void startContainer() {
        container = PostgresContainerTarget.startNew();
    }

    @AfterAll
    static void removeContainer() {
        if (container != null) {
            container.close();
        }
    }

    @Override
    protected PostgresTarget target() {
        return container;
    }
}
