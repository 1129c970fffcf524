package dev.digits.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

/**
 * A Prometheus container scrapes the service on the host. Skipped where there is no Docker; its
 * twin {@link PrometheusBinaryTests} runs the same checks against Debian's Prometheus.
 */
@org.testcontainers.junit.jupiter.Testcontainers(disabledWithoutDocker = true)
class PrometheusContainerTests extends ScrapedByPrometheus {

    private static GenericContainer<?> prometheus;

    @BeforeEach
    void startPrometheus() {
        if (prometheus != null) {
            return;
        }
        Testcontainers.exposeHostPorts(port);
        prometheus = new GenericContainer<>("prom/prometheus:v2.53.0")
                .withCopyToContainer(Transferable.of(config("host.testcontainers.internal:" + port)),
                        "/etc/prometheus/prometheus.yml")
                .withExposedPorts(9090)
                .waitingFor(Wait.forHttp("/-/ready").forPort(9090));
        prometheus.start();
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.stop();
            prometheus = null;
        }
    }

    @Override
    protected String prometheus() {
        return "http://" + prometheus.getHost() + ":" + prometheus.getMappedPort(9090);
    }
}
