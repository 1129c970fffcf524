package dev.digits.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceTest;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Swapping production under concurrent /predict load fails no request. */
class HotSwapTests extends ServiceTest {

    private static final int CLIENTS = 8;
    private static final int SWAPS = 20;

    @Test
    void twentySwapsUnderEightClientsFailNoRequest() throws Exception {
        String first = http.get("/models").json().get("production").asString();
        byte[] archive = http.get("/models/" + first + "/download").raw().body();
        String second = http.post("/models", "application/zip", archive).json().get("version").asString();
        String body = "{\"pixels\":" + MnistImages.pixelsJson(0) + "}";

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        Map<Integer, AtomicInteger> failures = new ConcurrentHashMap<>();
        Set<String> versionsSeen = ConcurrentHashMap.newKeySet();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> loops = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            loops.add(clients.submit(() -> {
                Http client = new Http(port, ADMIN_KEY);
                while (running.get()) {
                    Http.Response response = client.postJson("/predict", body);
                    if (response.status() == 200 && response.json().get("digit").asInt() == 7) {
                        ok.incrementAndGet();
                        versionsSeen.add(response.json().get("modelVersion").asString());
                    } else {
                        failures.computeIfAbsent(response.status(), s -> new AtomicInteger()).incrementAndGet();
                    }
                }
            }));
        }
        try {
            for (int swap = 0; swap < SWAPS; swap++) {
                String target = swap % 2 == 0 ? second : first;
                assertThat(http.post("/models/" + target + "/promote").status()).isEqualTo(200);
                Thread.sleep(50);
            }
        } finally {
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get(30, TimeUnit.SECONDS);
            }
            clients.shutdown();
        }

        assertThat(failures).as("failed requests by status").isEmpty();
        assertThat(ok.get()).isGreaterThan(SWAPS * 2);
        assertThat(versionsSeen).isSubsetOf(first, second).contains(first, second);
        assertThat(http.get("/models").json().get("production").asString()).isEqualTo(first);

        http.post("/models/" + first + "/promote?alias=previous");
        assertThat(http.delete("/models/" + second).status()).isEqualTo(204);
    }
}
