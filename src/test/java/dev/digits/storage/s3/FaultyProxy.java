package dev.digits.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy in front of an S3 server that can break like a network does: cut every connection once
 * the client has sent a given number of bytes (an upload interrupted halfway), or answer every request
 * with 503 (an overloaded store).
 */
final class FaultyProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final URI upstream;
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "faulty-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long cutAfter = Long.MAX_VALUE;
    private volatile boolean overloaded;

    FaultyProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** Cuts each new or open connection once its client has sent {@code bytes}. */
    void cutUploadsAfter(long bytes) {
        cutAfter = bytes;
    }

    void answer503(boolean on) {
        overloaded = on;
    }

    void heal() {
        cutAfter = Long.MAX_VALUE;
        overloaded = false;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (overloaded) {
                    threads.execute(() -> refuse(client));
                    continue;
                }
                Socket server = new Socket(upstream.getHost(), upstream.getPort());
                threads.execute(() -> pump(client, server, true));
                threads.execute(() -> pump(server, client, false));
            } catch (IOException e) {
                // closed, or the upstream is down: the client sees its connection closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean upload) {
        long sent = 0;
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                if (upload && sent + read > cutAfter) {
                    out.write(buffer, 0, (int) Math.max(0, cutAfter - sent));
                    out.flush();
                    return;
                }
                out.write(buffer, 0, read);
                out.flush();
                sent += read;
            }
        } catch (IOException e) {
            // one side went away; both are closed below
        } finally {
            reset(from);
            reset(to);
        }
    }

    private static void refuse(Socket client) {
        try (client) {
            client.setSoTimeout(2000);
            InputStream in = client.getInputStream();
            // read the request head, then answer before any body
            int matched = 0;
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
            }
            String body = "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";
            client.getOutputStream().write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
