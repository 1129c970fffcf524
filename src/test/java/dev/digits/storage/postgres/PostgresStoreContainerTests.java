package dev.digits.storage.postgres;

import dev.digits.support.PostgresContainerTarget;
import dev.digits.support.PostgresTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestClassOrder;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The store's contracts on PostgreSQL in a container (the image CI's Debian ships), where Docker
 * exists; skipped where it does not. The restart tests stop and start this container, so they run
 * last.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class PostgresStoreContainerTests {

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

    @Nested
    @Order(1)
    class Jobs extends PostgresJobsContract {
        @Override
        protected PostgresTarget target() {
            return container;
        }
    }

    @Nested
    @Order(2)
    class Models extends PostgresModelsContract {
        @Override
        protected PostgresTarget target() {
            return container;
        }
    }

    @Nested
    @Order(3)
    class Datasets extends PostgresDatasetsContract {
        @Override
        protected PostgresTarget target() {
            return container;
        }
    }

    @Nested
    @Order(4)
    class Restart extends PostgresRestartContract {
        @Override
        protected PostgresTarget target() {
            return container;
        }
    }
}
