package dev.digits.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.DigitsApplication;
import dev.digits.support.MnistImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Stopping the service while predictions wait in the batcher: every one of them is answered. */
class GracefulShutdownTests {

    @TempDir
    Path home;

    @Test
    void inFlightPredictionsCompleteDuringShutdown() throws Exception {
        // A long batch delay keeps the requests queued in the batcher when the shutdown starts.
        ConfigurableApplicationContext app = new SpringApplicationBuilder(DigitsApplication.class).run(
                "--server.port=0", "--digits.home=" + home, "--digits.inference.workers=1",
                "--digits.inference.max-batch-size=64", "--digits.inference.max-batch-delay=1500ms",
                "--digits.security.rate-limit.enabled=false", "--logging.level.root=WARN");
        String url = "http://localhost:" + app.getEnvironment().getProperty("local.server.port") + "/predict";
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            inFlight.add(client.sendAsync(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"pixels\":" + MnistImages.pixelsJson(i) + "}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        // The first may run at once on the idle worker; the others wait in a batch it runs 1.5 s later.
        Thread.sleep(400);
        assertThat(inFlight.stream().filter(request -> !request.isDone()).count()).isGreaterThanOrEqualTo(10);

        app.close();

        for (int i = 0; i < inFlight.size(); i++) {
            HttpResponse<String> response = inFlight.get(i).get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"digit\":" + MnistImages.label(i));
        }
    }
}
