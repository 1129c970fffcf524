package dev.digits.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.DigitsApplication;
import dev.digits.support.Await;
import dev.digits.support.MnistImages;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Stopping the service while predictions are in flight: every one of them is answered. The
 * requests are held open by sending half of their body before the shutdown starts and the rest
 * after, so they are in flight for certain, however fast or slow the machine is; the batcher must
 * still be running when they reach it, because it stops only after the web server has drained.
 */
class GracefulShutdownTests {

    private static final int REQUESTS = 8;

    @TempDir
    Path home;

    @Test
    void inFlightPredictionsCompleteDuringShutdown() throws Exception {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(DigitsApplication.class).run(
                "--server.port=0", "--digits.home=" + home, "--digits.security.rate-limit.enabled=false",
                "--logging.level.root=WARN");
        int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        List<Socket> sockets = new ArrayList<>();
        List<byte[]> rests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            byte[] body = ("{\"pixels\":" + MnistImages.pixelsJson(i) + "}").getBytes(StandardCharsets.UTF_8);
            Socket socket = new Socket("localhost", port);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
            sockets.add(socket);
            rests.add(Arrays.copyOfRange(body, body.length / 2, body.length));
        }
        MeterRegistry meters = app.getBean(MeterRegistry.class);
        Await.until(() -> activeRequests(meters), active -> active >= REQUESTS, Duration.ofSeconds(30),
                "all requests in the server");

        CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);
        Thread.sleep(500);
        assertThat(closing).as("shutdown waits for the requests in flight").isNotDone();

        for (int i = 0; i < REQUESTS; i++) {
            sockets.get(i).getOutputStream().write(rests.get(i));
            sockets.get(i).getOutputStream().flush();
        }
        for (int i = 0; i < REQUESTS; i++) {
            try (Socket socket = sockets.get(i)) {
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(response).startsWith("HTTP/1.1 200").contains("\"digit\":" + MnistImages.label(i));
            }
        }
        closing.get(60, TimeUnit.SECONDS);
    }

    private static long activeRequests(MeterRegistry meters) {
        return Search.in(meters).name("http.server.requests.active").longTaskTimers().stream()
                .mapToLong(timer -> timer.activeTasks()).sum();
    }
}
