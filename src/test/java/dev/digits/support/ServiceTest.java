package dev.digits.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a random port over a fresh store, shared by the end-to-end test classes
 * (Spring caches the context), called through real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ServiceTest {

    protected static final Path HOME = createHome();

    @LocalServerPort
    protected int port;

    protected Http http;

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) {
        registry.add("digits.home", HOME::toString);
    }

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    private static Path createHome() {
        try {
            return Files.createTempDirectory("digits-test-home");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
