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

    /** The admin API key of the test service; only its SHA-256 is configured. */
    public static final String ADMIN_KEY = "test-admin-key-0123456789abcdef";
    public static final String ADMIN_KEY_SHA256 = "66fb6c8f9e74a7bf5415d444c607db9a80b70c930155fc24c528e5b2f9d0b5e3";

    @LocalServerPort
    protected int port;

    /** A client with the admin key; tests of authentication make their own. */
    protected Http http;

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) {
        registry.add("digits.home", HOME::toString);
        registry.add("digits.security.admin-key-hashes", () -> ADMIN_KEY_SHA256);
        // Load tests here come from one address; the rate limit has its own test.
        registry.add("digits.security.rate-limit.enabled", () -> "false");
    }

    @BeforeEach
    void client() {
        http = new Http(port, ADMIN_KEY);
    }

    private static Path createHome() {
        try {
            return Files.createTempDirectory("digits-test-home");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
