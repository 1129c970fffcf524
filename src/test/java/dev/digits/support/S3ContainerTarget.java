package dev.digits.support;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.testcontainers.containers.MinIOContainer;

/**
 * {@link S3Server}'s counterpart where Docker exists: MinIO in a Testcontainers container. Use it
 * from a class annotated {@code @Testcontainers(disabledWithoutDocker = true)}, so that it is skipped
 * where there is no Docker.
 *
 * <p>The S3 port is bound to a fixed host port, so that {@link #stop()} and {@link #start()} (Docker
 * stop and start of the same container, its data kept) bring it back at the same endpoint.
 */
public final class S3ContainerTarget implements S3Target, AutoCloseable {

    public static final String IMAGE = "minio/minio:RELEASE.2023-09-04T19-57-37Z";
    private static final int S3_PORT = 9000;

    private final MinIOContainer container;
    private final URI endpoint;

    private S3ContainerTarget(MinIOContainer container) {
        this.container = container;
        this.endpoint = URI.create("http://" + container.getHost() + ":" + container.getMappedPort(S3_PORT));
    }

    /** Starts a new container; {@link #close()} removes it. */
    public static S3ContainerTarget startNew() {
        MinIOContainer container = new MinIOContainer(IMAGE)
                .withUserName("digits-test-access-key")
                .withPassword("digits-test-secret-key");
        container.setPortBindings(List.of(FreePorts.one() + ":" + S3_PORT));
        container.start();
        return new S3ContainerTarget(container);
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public String accessKey() {
        return container.getUserName();
    }

    @Override
    public String secretKey() {
        return container.getPassword();
    }

    public MinIOContainer container() {
        return container;
    }

    /** Stops the container; it keeps its objects for {@link #start()}. */
    @Override
    public void stop() {
        container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(30).exec();
    }

    /** Starts the stopped container again and waits until MinIO is ready. */
    @Override
    public void start() {
        container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
        Await.until(this::ready, Boolean::booleanValue, Duration.ofSeconds(60), "ready after a restart");
    }

    private boolean ready() {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/minio/health/ready").toURL()
                    .openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(2000);
            try {
                return connection.getResponseCode() == 200;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        container.stop();
    }
}
