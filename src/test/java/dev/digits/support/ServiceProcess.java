package dev.digits.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The service in its own JVM, on the test classpath, so that a test can kill it the way a crash
 * or the OOM killer would ({@code SIGKILL}) and start it again on the same store.
 */
public final class ServiceProcess {

    private final Path home;
    private final Path log;
    private final List<String> arguments;
    private Process process;
    private int port;

    public ServiceProcess(Path home, Path log, String... arguments) {
        this.home = home;
        this.log = log;
        this.arguments = List.of(arguments);
    }

    /** Starts the service and waits until it is ready. */
    public Http start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-cp", classPath(),
                "dev.digits.DigitsApplication", "--server.port=" + port, "--digits.home=" + home,
                "--digits.security.admin-key-hashes=" + ServiceTest.ADMIN_KEY_SHA256,
                "--digits.security.rate-limit.enabled=false"));
        command.addAll(arguments);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Http http = new Http(port, ServiceTest.ADMIN_KEY);
        Await.until(() -> ready(http), ready -> ready, Duration.ofSeconds(120), "ready (see " + log + ")");
        return http;
    }

    /** The test class path: the JVM's, or, under {@code exec:java}, the class loader's that Maven set up. */
    private static String classPath() {
        if (Thread.currentThread().getContextClassLoader() instanceof java.net.URLClassLoader loader
                && loader.getURLs().length > 0) {
            List<String> entries = new ArrayList<>();
            for (java.net.URL url : loader.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
            return String.join(java.io.File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    private boolean ready(Http http) {
        if (!process.isAlive()) {
            throw new AssertionError("the service exited with " + process.exitValue() + "; see " + log);
        }
        try {
            return http.get("/actuator/health/readiness").status() == 200;
        } catch (AssertionError notYetListening) {
            return false;
        }
    }

    /** SIGTERM: the graceful stop an orchestrator asks for. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The operating system's process id, which the service's trainer name starts with. */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no graceful stop, no flushing. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Resident memory of the service's process in MiB (Linux), PyTorch's native allocations included. */
    public double rssMiB() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return Double.NaN;
    }

    public int port() {
        return port;
    }
}
