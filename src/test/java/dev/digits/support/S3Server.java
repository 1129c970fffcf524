package dev.digits.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3-compatible server for tests, without Docker: S3Proxy in this JVM on 127.0.0.1 and a free
 * port, storing buckets as folders of a temp folder, and checking AWS Signature V2/V4 against an
 * access key and secret key like S3 does.
 *
 * <p>{@link #shared()} is one server for the whole test JVM, stopped and deleted when the JVM exits;
 * give each test class its own bucket with {@link #createBucket()}. A test that stops the server
 * takes one of its own, {@link #startNew()}, and closes it. {@link #stop()} and {@link #start()}
 * keep the port and the objects.
 *
 * <p>Since S3Proxy 3 the storage back-ends are S3Proxy's own (a fork of jclouds' blob stores; no
 * jclouds dependency). Its Jetty is shaded into its jar and independent of any Jetty of the
 * application.
 */
public final class S3Server implements S3Target, AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final String ACCESS_KEY = "digits-test-access-key";
    private static final String SECRET_KEY = "digits-test-secret-key";

    private static S3Server shared;

    private final Path folder;
    private final BlobStore blobStore;
    private final Thread shutdownHook = new Thread(this::destroy, "s3-server-shutdown");
    private int port;
    private S3Proxy proxy;
    private boolean destroyed;
    private boolean isShared;

    private S3Server(Path folder) {
        this.folder = folder;
        this.blobStore = new FilesystemNio2BlobStore(folder.toString());
    }

    /** The server shared by the whole test JVM, started on first use, stopped when the JVM exits. */
    public static synchronized S3Server shared() {
        if (shared == null) {
            shared = startNew();
            shared.isShared = true;
        }
        return shared;
    }

    /** A server of the caller's own, started; {@link #close()} stops it and deletes its objects. */
    public static S3Server startNew() {
        Path folder;
        try {
            folder = Files.createTempDirectory("digits-s3-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        S3Server server = new S3Server(folder);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            server.startOnFreePort();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void startOnFreePort() {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            port = FreePorts.one();
            try {
                start();
                return;
            } catch (RuntimeException e) {
                // Another process may have taken the port between our look and the bind.
                if (!(e.getCause() instanceof BindException)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    @Override
    public URI endpoint() {
        return URI.create("http://" + HOST + ":" + port);
    }

    @Override
    public String accessKey() {
        return ACCESS_KEY;
    }

    @Override
    public String secretKey() {
        return SECRET_KEY;
    }

    public int port() {
        return port;
    }

    /** Where the buckets are: one folder per bucket, one file per object. */
    public Path folder() {
        return folder;
    }

    public synchronized boolean running() {
        return proxy != null;
    }

    /** Starts the server if it is stopped: same objects, same port. Returns once it accepts requests. */
    @Override
    public synchronized void start() {
        if (destroyed) {
            throw new IllegalStateException("closed: " + this);
        }
        if (proxy != null) {
            return;
        }
        S3Proxy started = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(endpoint())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // Requests in flight are cut at stop(), as when a server goes away.
                .stopTimeout(0)
                .jettyMaxThreads(32)
                .build();
        try {
            started.start();
        } catch (Exception e) {
            stopQuietly(started);
            throw new IllegalStateException("S3Proxy did not start on " + endpoint(), e);
        }
        proxy = started;
    }

    /**
     * Stops the server at once; requests in flight are cut, and new ones fail to connect (connection
     * refused) until {@link #start()}.
     */
    @Override
    public synchronized void stop() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop on " + endpoint(), e);
        } finally {
            proxy = null;
        }
    }

    /** Stops the server and deletes its objects. Not for {@link #shared()}, which the JVM's exit closes. */
    @Override
    public void close() {
        if (isShared) {
            throw new IllegalStateException("the shared S3 server is closed when the JVM exits");
        }
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    private synchronized void destroy() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        if (proxy != null) {
            stopQuietly(proxy);
            proxy = null;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("S3Server: could not delete " + folder + ": " + e);
        }
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            // stopping is best effort here
        }
    }

    @Override
    public String toString() {
        return "S3Proxy " + endpoint() + " (" + folder + ")";
    }
}
