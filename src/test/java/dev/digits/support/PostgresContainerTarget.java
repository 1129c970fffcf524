package dev.digits.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * {@link PostgresServer}'s counterpart where Docker exists: PostgreSQL in a Testcontainers container.
 * Use it from a class annotated {@code @Testcontainers(disabledWithoutDocker = true)}, so that it is
 * skipped where there is no Docker.
 *
 * <p>The container's port is bound to a fixed host port, so that {@link #stop()} and {@link #start()}
 * (Docker stop and start of the same container, its data kept) bring it back at the same address.
 */
public final class PostgresContainerTarget implements PostgresTarget, AutoCloseable {

    /** The major version Debian 12 ships, which {@link PostgresServer} runs in CI. */
    public static final String IMAGE = "postgres:15-alpine";
    private static final int POSTGRES_PORT = 5432;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final PostgreSQLContainer container;
    private final String host;
    private final int port;

    private PostgresContainerTarget(PostgreSQLContainer container) {
        this.container = container;
        this.host = container.getHost();
        this.port = container.getMappedPort(POSTGRES_PORT);
    }

    /** Starts a new container; {@link #close()} removes it. */
    public static PostgresContainerTarget startNew() {
        PostgreSQLContainer container = new PostgreSQLContainer(IMAGE)
                .withUsername("digits")
                .withPassword("digits-test-password")
                .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=200");
        container.setPortBindings(List.of(FreePorts.one() + ":" + POSTGRES_PORT));
        container.start();
        return new PostgresContainerTarget(container);
    }

    @Override
    public String createDatabase() {
        String name = "test_" + DATABASES.incrementAndGet();
        try (Connection connection = connect(container.getDatabaseName());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " in " + container.getContainerId(), e);
        }
        return name;
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String username() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    public PostgreSQLContainer container() {
        return container;
    }

    /** Stops the container (PostgreSQL's fast shutdown); it keeps its data for {@link #start()}. */
    @Override
    public void stop() {
        container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(30).exec();
    }

    /** Starts the stopped container again and waits until PostgreSQL accepts connections. */
    @Override
    public void start() {
        container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
        Await.until(() -> {
            try (Connection connection = connect(container.getDatabaseName())) {
                return connection.isValid(2);
            } catch (SQLException e) {
                return false;
            }
        }, Boolean::booleanValue, Duration.ofSeconds(60), "accepting connections after a restart");
    }

    @Override
    public void close() {
        container.stop();
    }
}
