package dev.digits.storage.s3;

import dev.digits.support.S3Server;
import dev.digits.support.S3Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link S3Blobs} on S3Proxy in this JVM: a server of its own, since a test stops it. */
class S3BlobsTests extends S3BlobsContract {

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
}
