package dev.digits.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link S3Server}: S3Proxy in this JVM, no Docker. The contract runs on a server of its own (it
 * stops the server); the shared server is checked apart.
 */
class S3ServerTests extends S3TargetContract {

    private static S3Server server;

    @BeforeAll
    static void startServer() {
        server = S3Server.startNew();
    }

    @AfterAll
    static void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected S3Target target() {
        return server;
    }

    @Test
    void theSharedServerIsOnePerJvm() {
        S3Server shared = S3Server.shared();
        assertThat(S3Server.shared()).isSameAs(shared);
        assertThat(shared.port()).isNotEqualTo(server.port());
        String bucket = shared.createBucket();
        try (S3Client s3 = shared.client()) {
            s3.putObject(request -> request.bucket(bucket).key("a/b.txt"), RequestBody.fromString("shared"));
            assertThat(s3.getObjectAsBytes(request -> request.bucket(bucket).key("a/b.txt")).asUtf8String())
                    .isEqualTo("shared");
        }
    }
}
