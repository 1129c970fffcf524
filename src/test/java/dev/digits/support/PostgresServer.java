package dev.digits.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, without Docker: a temporary cluster made with the installed
 * server binaries ({@code initdb}, {@code pg_ctl}; Debian's {@code postgresql} package, which
 * {@code .ci/run} installs), listening on 127.0.0.1 on a free port, its socket and files in a temp
 * folder. It never touches a system cluster (Debian's on 5432).
 *
 * <p>{@link #shared()} is one cluster for the whole test JVM, stopped and deleted when the JVM exits;
 * give each test class its own database with {@link #createDatabase()}. A test that stops the server
 * takes a cluster of its own, {@link #startNew()}, and closes it. Where no binaries are installed,
 * both skip the test (a JUnit assumption) with a message saying so.
 *
 * <p>{@code initdb} and {@code postgres} refuse to run as root, and CI runs the tests as root: then
 * the server runs as an unprivileged user ({@code nobody}, or the system property
 * {@code digits.test.postgres-user}) through {@code runuser}. As a normal user it runs as that user.
 * Other binaries than the newest under {@code /usr/lib/postgresql/*}{@code /bin}: the system property
 * {@code digits.test.postgres-bin} or the environment variable {@code POSTGRES_BIN}.
 *
 * <p>Durability is traded for speed ({@code fsync=off}), which only matters if the machine itself
 * goes down: committed data survives {@link #stop()}, {@link #crash()} and {@link #start()}.
 */
public final class PostgresServer implements PostgresTarget, AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final String USERNAME = "digits";
    private static final String PASSWORD = "digits-test-password";
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(90);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final String FOLDER_PREFIX = "digits-pg-";
    /** In each cluster's folder: the PID of the JVM that made it. */
    private static final String OWNER_FILE = "jvm.pid";

    private static PostgresServer shared;
    private static RuntimeException sharedFailure;

    private final Path bin;
    private final Path folder;
    /** The user the server runs as when the JVM is root; null: the JVM's own user. */
    private final String runAs;
    private final Thread shutdownHook = new Thread(this::destroy, "postgres-server-shutdown");
    private int port;
    private boolean running;
    private boolean destroyed;
    private boolean isShared;

    private PostgresServer(Path bin, Path folder, String runAs) {
        this.bin = bin;
        this.folder = folder;
        this.runAs = runAs;
    }

    // ---------------------------------------------------------------- finding and starting

    /** Whether PostgreSQL server binaries are installed here. */
    public static boolean available() {
        return binaries().isPresent();
    }

    /** Skips the calling test (a JUnit assumption) where no PostgreSQL server binaries are installed. */
    public static void assumeAvailable() {
        assumeTrue(available(), "no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin "
                + "or on the PATH: install them (Debian: apt-get install postgresql) or set POSTGRES_BIN");
    }

    /**
     * The cluster shared by the whole test JVM, started on first use (about a second) and stopped and
     * deleted when the JVM exits. Do not stop it: it is other test classes' server too. Skips the
     * calling test where no binaries are installed.
     */
    public static synchronized PostgresServer shared() {
        assumeAvailable();
        if (sharedFailure != null) {
            throw new IllegalStateException("the shared PostgreSQL cluster failed to start earlier", sharedFailure);
        }
        if (shared == null) {
            try {
                shared = launch();
                shared.isShared = true;
            } catch (RuntimeException e) {
                sharedFailure = e;
                throw e;
            }
        }
        return shared;
    }

    /** A cluster of the caller's own, started; {@link #close()} stops and deletes it. */
    public static PostgresServer startNew() {
        assumeAvailable();
        return launch();
    }

    private static PostgresServer launch() {
        Path bin = binaries().orElseThrow();
        String runAs = runningAsRoot() ? unprivilegedUser() : null;
        reapOrphans(bin, runAs);
        Path folder;
        try {
            folder = Files.createTempDirectory(FOLDER_PREFIX);
            Files.writeString(folder.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PostgresServer server = new PostgresServer(bin, folder, runAs);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            server.initialise();
            server.startOnFreePort();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Stops and deletes the clusters of test JVMs that died without their shutdown hook (killed, say,
     * by a surefire timeout): a server outlives its JVM, since pg_ctl detaches it.
     */
    private static void reapOrphans(Path bin, String runAs) {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(temp, FOLDER_PREFIX + "*")) {
            for (Path folder : folders) {
                long owner;
                try {
                    owner = Long.parseLong(Files.readString(folder.resolve(OWNER_FILE)).trim());
                } catch (IOException | NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                PostgresServer orphan = new PostgresServer(bin, folder, runAs);
                orphan.running = Files.exists(orphan.dataDirectory().resolve("postmaster.pid"));
                orphan.destroy();
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("PostgresServer: could not clean up after dead test JVMs: " + e);
        }
    }

    private void initialise() {
        try {
            giveToServerUser(folder);
            Path passwordFile = folder.resolve("password");
            Files.writeString(passwordFile, PASSWORD + "\n");
            giveToServerUser(passwordFile);
            Path socketDirectory = Files.createDirectory(folder.resolve("socket"));
            giveToServerUser(socketDirectory);

            // Connections over TCP (what the application uses) need the password; the Unix socket is
            // trusted, for psql -h <folder>/socket when debugging.
            execute("initdb", bin.resolve("initdb").toString(), "--pgdata=" + dataDirectory(),
                    "--username=" + USERNAME, "--pwfile=" + passwordFile, "--auth-host=scram-sha-256",
                    "--auth-local=trust", "--encoding=UTF8", "--locale=C", "--no-sync");
            Files.delete(passwordFile);
            Files.writeString(dataDirectory().resolve("postgresql.conf"), String.join("\n",
                    "",
                    "# dev.digits.support.PostgresServer",
                    "listen_addresses = '" + HOST + "'",
                    "unix_socket_directories = '" + socketDirectory + "'",
                    "fsync = off",
                    "full_page_writes = off",
                    "max_connections = 200",
                    "shared_buffers = 32MB",
                    "timezone = 'UTC'",
                    ""), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startOnFreePort() {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            port = FreePorts.one();
            try {
                start();
                return;
            } catch (IllegalStateException e) {
                // Another process may have taken the port between our look and the server's bind.
                if (!e.getMessage().contains("could not bind") && !e.getMessage().contains("in use")) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    // ---------------------------------------------------------------- PostgresTarget

    @Override
    public String createDatabase() {
        String name = "test_" + DATABASES.incrementAndGet();
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " on " + this, e);
        }
        return name;
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    @Override
    public String username() {
        return USERNAME;
    }

    @Override
    public String password() {
        return PASSWORD;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** The server's log, for a failing test's diagnosis. */
    public Path logFile() {
        return folder.resolve("postgres.log");
    }

    public synchronized boolean running() {
        return running;
    }

    /** Starts the server if it is stopped: same data, same port. Returns once it accepts connections. */
    @Override
    public synchronized void start() {
        if (destroyed) {
            throw new IllegalStateException("closed: " + this);
        }
        if (running) {
            return;
        }
        execute("pg_ctl start", bin.resolve("pg_ctl").toString(), "start", "--pgdata=" + dataDirectory(),
                "--log=" + logFile(), "--wait", "--timeout=60", "--options=-p " + port);
        running = true;
    }

    /**
     * Stops the server (fast shutdown: sessions are cut, open transactions rolled back, a clean
     * checkpoint). Connections and new connection attempts fail (connection refused) until
     * {@link #start()}.
     */
    @Override
    public synchronized void stop() {
        shutDown("fast");
    }

    /**
     * Kills the server as a crash would (immediate shutdown, no checkpoint); {@link #start()} then
     * runs crash recovery. Committed transactions survive.
     */
    public synchronized void crash() {
        shutDown("immediate");
    }

    private void shutDown(String mode) {
        if (!running) {
            return;
        }
        execute("pg_ctl stop", bin.resolve("pg_ctl").toString(), "stop", "--pgdata=" + dataDirectory(),
                "--mode=" + mode, "--wait", "--timeout=60");
        running = false;
    }

    /** Stops the server and deletes its files. Not for {@link #shared()}, which the JVM's exit closes. */
    @Override
    public void close() {
        if (isShared) {
            throw new IllegalStateException("the shared cluster is closed when the JVM exits");
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
        try {
            shutDown("immediate");
        } catch (RuntimeException e) {
            System.err.println("PostgresServer: " + e.getMessage());
        }
        deleteRecursively(folder);
    }

    @Override
    public String toString() {
        return "PostgreSQL " + HOST + ":" + port + " (" + folder + (runAs == null ? "" : ", as " + runAs) + ")";
    }

    // ---------------------------------------------------------------- processes and files

    private Path dataDirectory() {
        return folder.resolve("data");
    }

    /** Runs a server binary (as {@link #runAs} when set), failing with its output and the log's tail. */
    private void execute(String what, String... command) {
        List<String> line = new ArrayList<>();
        if (runAs != null) {
            line.addAll(List.of(runuser(), "-u", runAs, "--"));
        }
        line.addAll(List.of(command));
        Path output = folder.resolve("command.out");
        ProcessBuilder builder = new ProcessBuilder(line).directory(folder.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        // PGPORT, PGDATA, PGHOST... of the caller's environment must not redirect the binaries.
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        builder.environment().put("LC_ALL", "C");
        try {
            Process process = builder.start();
            if (!process.waitFor(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " did not finish within " + COMMAND_LIMIT + " (" + this + ")"
                        + diagnostics(output));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(what + " failed with exit code " + process.exitValue()
                        + " (" + this + ")" + diagnostics(output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": " + String.join(" ", line), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }

    private String diagnostics(Path output) {
        return "\n--- output:\n" + tail(output, 30) + "\n--- " + logFile().getFileName() + ":\n" + tail(logFile(), 30);
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(none)";
        }
    }

    private void giveToServerUser(Path path) throws IOException {
        if (runAs != null) {
            Files.setOwner(path, path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(runAs));
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // a file the server was still writing; the temp folder's cleaner gets it
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("PostgresServer: could not delete " + root + ": " + e);
        }
    }

    private static boolean runningAsRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static String unprivilegedUser() {
        return System.getProperty("digits.test.postgres-user", "nobody");
    }

    private static String runuser() {
        for (String folder : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path candidate = Path.of(folder, "runuser");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return "runuser";
    }

    /** The folder with initdb and pg_ctl: configured, else the newest Debian version, else the PATH. */
    static Optional<Path> binaries() {
        String configured = System.getProperty("digits.test.postgres-bin", System.getenv("POSTGRES_BIN"));
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(PostgresServer::hasServerBinaries);
        }
        List<Path> candidates = new ArrayList<>();
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (DirectoryStream<Path> versions = Files.newDirectoryStream(debian)) {
                List<Path> sorted = new ArrayList<>();
                versions.forEach(sorted::add);
                sorted.sort(Comparator.comparingDouble(PostgresServer::versionOf).reversed());
                sorted.forEach(version -> candidates.add(version.resolve("bin")));
            } catch (IOException e) {
                // fall through to the PATH
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(java.io.File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    candidates.add(Path.of(entry));
                }
            }
        }
        return candidates.stream().filter(PostgresServer::hasServerBinaries).findFirst();
    }

    private static double versionOf(Path folder) {
        try {
            return Double.parseDouble(folder.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean hasServerBinaries(Path folder) {
        return Stream.of("initdb", "pg_ctl", "postgres").allMatch(name -> Files.isExecutable(folder.resolve(name)));
    }
}
