package dev.digits.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.digits.support.MnistImages;
import dev.digits.support.ServiceTest;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The web console in a real headless Chromium against the whole service: drawing with pointer
 * events, uploading and pasting, a training job with its live charts, promotion and rollback, no
 * foreign origins, a phone-sized window, answers without a digit, the model input with its
 * attributions, and whole numbers. Screenshots of each test land in {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTests extends ServiceTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration JOB_WAIT = Duration.ofSeconds(90);

    private static Chromium chromium;
    /** The version the job test registered, promoted by the next test; null when that test did not run. */
    private static String trainedVersion;

    private ChromeDriver driver;
    private String base;

    @BeforeAll
    static void browser() {
        Assumptions.assumeTrue(Chromium.installed(), "Chromium is not installed (apt-get install chromium chromium-driver)");
        chromium = Chromium.start();
    }

    @AfterAll
    static void closeBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void page() {
        driver = chromium.driver();
        base = "http://localhost:" + port;
        driver.manage().window().setSize(new Dimension(1280, 1000));
    }

    @AfterEach
    void screenshotAndScriptErrors(TestInfo test) throws IOException {
        screenshot(test.getTestMethod().orElseThrow().getName());
        List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .filter(message -> message.contains("Uncaught") || message.contains("TypeError")
                        || message.contains("ReferenceError") || message.contains("SyntaxError")
                        || message.contains("Refused to"))
                .toList();
        assertThat(errors).as("script errors and Content-Security-Policy violations in the page").isEmpty();
    }

    @Test
    @Order(1)
    void drawingWithThePointerPredictsTheDigitAndShowsTheModelInput() throws IOException {
        open("predict");
        WebElement canvas = driver.findElement(By.id("draw-canvas"));

        // A "7": a bar along the top, then the diagonal down to the bottom left, in one stroke.
        draw(canvas, PointerInput.Kind.MOUSE, new int[][] {{-70, -85}, {70, -85}, {-15, 95}});
        awaitText("prediction-digit", "7");
        assertThat(driver.findElements(By.cssSelector("#bars .bar"))).hasSize(10);
        assertThat(Double.parseDouble(driver.findElement(By.id("bar-7")).getDomAttribute("data-probability")))
                .isGreaterThan(0.5);
        assertThat(driver.findElement(By.id("prediction-model")).getText()).isNotBlank();
        assertThat(litPixels("input-preview")).as("lit pixels of the 28×28 preview").isGreaterThan(20);
        // The stroke lasts about 400 ms, so the page predicted while drawing as well as on lifting;
        // the answer shown may be the one from while drawing, with the last still on its way.
        wait(WAIT).withMessage("at least two requests to /predict for one stroke").until(d -> ((Number) js(
                "return performance.getEntriesByType('resource').filter(e => new URL(e.name).pathname === '/predict').length"))
                .intValue() >= 2);
        screenshot("drawn-seven");

        driver.findElement(By.id("clear")).click();
        assertThat(driver.findElement(By.id("prediction-digit")).getText()).isEqualTo("–");
        assertThat(litPixels("input-preview")).isZero();

        // A "1": one vertical stroke.
        draw(canvas, PointerInput.Kind.MOUSE, new int[][] {{5, -95}, {-5, 95}});
        // The answer from while drawing may show first; the one for the lifted stroke would then
        // replace it, and clear a correction's status, after the click below.
        awaitSettled("digit-result");
        awaitText("prediction-digit", "1");

        // The correction goes to /feedback with the same image.
        new Select(driver.findElement(By.id("feedback-digit"))).selectByValue("4");
        driver.findElement(By.id("send-feedback")).click();
        wait(WAIT).until(d -> d.findElement(By.id("feedback-status")).getText().contains("saved as a 4"));
    }

    @Test
    @Order(2)
    void anUploadedOrPastedImageIsSentAsItIsAndShown(@TempDir Path files) throws IOException {
        open("predict");
        Path zero = files.resolve("zero.png");
        Files.write(zero, MnistImages.file(3, "png", 4));
        assertThat(MnistImages.label(3)).isZero();
        driver.findElement(By.id("upload")).sendKeys(zero.toAbsolutePath().toString());
        awaitText("prediction-digit", "0");
        assertThat(driver.findElement(By.id("source-figure")).isDisplayed()).isTrue();
        assertThat(litPixels("input-preview")).isGreaterThan(20);

        // What a paste of a copied image delivers: a ClipboardEvent whose data holds an image file.
        assertThat(MnistImages.label(1)).isEqualTo(2);
        js("""
                const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
                const data = new DataTransfer();
                data.items.add(new File([bytes], 'pasted.png', {type: 'image/png'}));
                window.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true}));""",
                Base64.getEncoder().encodeToString(MnistImages.file(1, "png", 4)));
        awaitText("prediction-digit", "2");
        assertThat(driver.findElement(By.id("source-caption")).getText()).startsWith("pasted image");
    }

    @Test
    @Order(3)
    void aJobStartedFromTheFormStreamsItsProgressIntoTheCharts() {
        String dataset = http.post("/datasets?name=console", "application/zip",
                MnistImages.datasetZip(0, 300, UnaryOperator.identity())).json().get("id").asString();
        open("jobs");
        new Select(driver.findElement(By.id("job-type"))).selectByValue("train");
        new Select(driver.findElement(By.id("job-architecture"))).selectByValue("lenet5");
        type("job-dataset", dataset);
        type("job-epochs", "2");
        type("job-batch-size", "16");
        new Select(driver.findElement(By.id("job-promotion"))).selectByValue("never");

        // A refused request shows the problem's title, detail and field errors.
        type("job-epochs", "0");
        driver.findElement(By.id("submit-job")).click();
        wait(WAIT).until(d -> d.findElement(By.id("message")).isDisplayed()
                && "error".equals(d.findElement(By.id("message")).getDomAttribute("data-kind")));
        assertThat(driver.findElement(By.id("message-errors")).getText()).contains("epochs");
        assertThat(driver.findElement(By.id("message-title")).getText()).isNotBlank();

        type("job-epochs", "2");
        driver.findElement(By.id("submit-job")).click();

        wait(JOB_WAIT).until(d -> "SUCCEEDED".equals(d.findElement(By.id("job-state")).getText())
                || "FAILED".equals(d.findElement(By.id("job-state")).getText()));
        assertThat(driver.findElement(By.id("job-state")).getText())
                .as(driver.findElement(By.id("job-result")).getText()).isEqualTo("SUCCEEDED");
        WebElement batchChart = driver.findElement(By.id("job-chart-batch"));
        // Loss and accuracy per batch: two series of at least one point per batch seen live.
        assertThat(Integer.parseInt(batchChart.getDomAttribute("data-points"))).isGreaterThanOrEqualTo(2 * 2);
        assertThat(litPixels("job-chart-batch")).as("drawn pixels of the batch chart").isGreaterThan(500);
        // Four series (train/validation loss and accuracy) over two epochs.
        assertThat(driver.findElement(By.id("job-chart-epoch")).getDomAttribute("data-points")).isEqualTo("8");

        String jobId = driver.findElement(By.id("job-id")).getText();
        trainedVersion = http.get("/jobs/" + jobId).json().get("result").get("version").asString();
        assertThat(driver.findElement(By.id("job-result")).getText()).contains("Registered version " + trainedVersion);
        WebElement row = driver.findElement(By.id("job-row-" + jobId));
        assertThat(row.getText()).contains("SUCCEEDED", "100%", "v" + trainedVersion);
        assertThat(http.delete("/datasets/" + dataset).status()).isEqualTo(204);
    }

    @Test
    @Order(4)
    void promotingAVersionAndRollingBackShowsTheProductionVersion() {
        Map<String, String> before = aliases();
        String original = before.get("production");
        String version = trainedVersion != null ? trainedVersion : importCopyOfProduction();
        try {
            open("models");
            awaitText("production-version", original);
            driver.findElement(By.id("model-row-" + version)).click();
            wait(WAIT).until(d -> d.findElements(By.cssSelector("#confusion .cell")).size() == 100);
            assertThat(driver.findElements(By.cssSelector("#per-class .bar"))).hasSize(10);

            driver.findElement(By.id("promote-" + version)).click();
            awaitText("production-version", version);
            assertThat(aliases()).containsEntry("production", version).containsEntry("previous", original);
            wait(WAIT).until(d -> d.findElement(By.id("model-row-" + version)).getText().contains("production"));

            wait(WAIT).until(d -> d.findElement(By.id("rollback")).isEnabled());
            driver.findElement(By.id("rollback")).click();
            awaitText("production-version", original);
            assertThat(aliases()).containsEntry("production", original);
        } finally {
            if (!original.equals(aliases().get("production"))) {
                http.post("/models/" + original + "/promote");
            }
            http.post("/models/" + before.getOrDefault("previous", original) + "/promote?alias=previous");
            assertThat(http.delete("/models/" + version).status()).isEqualTo(204);
        }
    }

    @Test
    @Order(5)
    void thePageLoadsNothingFromAnotherOrigin() {
        open("predict");
        for (String view : List.of("jobs", "models", "predict")) {
            driver.findElement(By.id("tab-" + view)).click();
            wait(WAIT).until(d -> d.findElement(By.id("view-" + view)).isDisplayed());
        }
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) js("return performance.getEntriesByType('resource').map(e => e.name)"
                + ".concat(performance.getEntriesByType('navigation').map(e => e.name))");
        assertThat(resources).isNotEmpty()
                .anyMatch(url -> url.endsWith("/console.js"))
                .anyMatch(url -> url.endsWith("/console.css"))
                .allMatch(url -> url.startsWith(base + "/"), "is served by the service at " + base);
    }

    @Test
    @Order(6)
    void onAPhoneTheCanvasFitsTheScreenAndTakesAFinger() throws IOException {
        driver.manage().window().setSize(new Dimension(390, 844));
        open("predict");
        @SuppressWarnings("unchecked")
        Map<String, Number> layout = (Map<String, Number>) js("""
                const box = document.getElementById('draw-canvas').getBoundingClientRect();
                return {left: box.left, right: box.right, viewport: document.documentElement.clientWidth,
                        scrollWidth: document.documentElement.scrollWidth};""");
        double viewport = layout.get("viewport").doubleValue();
        assertThat(viewport).isLessThanOrEqualTo(400);
        assertThat(layout.get("left").doubleValue()).isGreaterThanOrEqualTo(0);
        assertThat(layout.get("right").doubleValue()).isLessThanOrEqualTo(viewport);
        assertThat(layout.get("scrollWidth").doubleValue()).as("page width").isLessThanOrEqualTo(viewport);

        draw(driver.findElement(By.id("draw-canvas")), PointerInput.Kind.TOUCH, new int[][] {{5, -95}, {-5, 95}});
        awaitText("prediction-digit", "1");
        awaitSettled("digit-result");
        js("document.getElementById('digit-result').scrollIntoView()");
        screenshot("phone-predict");

        // Wide tables scroll inside their cards; the page itself never scrolls sideways.
        for (String view : List.of("jobs", "models")) {
            driver.findElement(By.id("tab-" + view)).click();
            wait(WAIT).until(d -> d.findElement(By.id("view-" + view)).isDisplayed());
            wait(WAIT).until(d -> !d.findElements(By.cssSelector("#" + view + "-table tbody tr")).isEmpty());
            Number width = (Number) js("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertThat(width.intValue()).as("sideways overflow of the " + view + " view").isLessThanOrEqualTo(0);
            screenshot("phone-" + view);
        }
        driver.findElement(By.id("tab-predict")).click();
    }

    @Test
    @Order(7)
    void anEmptyImageGetsNoDigitInsteadOfANumber(@TempDir Path files) throws IOException {
        open("predict");
        // Nothing drawn: what an empty canvas exports, white and 280×280.
        Path blank = files.resolve("blank.png");
        Files.write(blank, blankPng(280, 280));
        driver.findElement(By.id("upload")).sendKeys(blank.toAbsolutePath().toString());

        awaitAbstention("prediction-abstain", "no-ink");
        assertThat(driver.findElement(By.id("prediction-abstain")).getText()).isEqualTo("No digit found — draw one");
        assertThat(driver.findElement(By.id("prediction-digit")).isDisplayed()).as("the big digit").isFalse();
        assertThat(driver.findElements(By.cssSelector("#bars .bar.top"))).as("bars highlighted as the answer").isEmpty();
        // Without ink the probabilities say nothing: no confidence is shown.
        assertThat(driver.findElement(By.id("prediction-confidence")).getText()).isEqualTo("–");
        // There is nothing in it to correct.
        assertThat(driver.findElement(By.id("send-feedback")).isEnabled()).isFalse();
        screenshot("no-ink");

        // Drawing afterwards replaces the upload and answers with a digit again.
        draw(canvas(), PointerInput.Kind.MOUSE, 280, new int[][] {{5, -95}, {-5, 95}});
        awaitText("prediction-digit", "1");
        assertThat(driver.findElement(By.id("prediction-abstain")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("bar-1")).getDomAttribute("class")).contains("top");
    }

    @Test
    @Order(8)
    void aScribbleIsNotADigitAndCanBeCorrectedAsNone() throws IOException {
        JsonNode threshold = productionModel().path("calibration").path("threshold");
        Assumptions.assumeTrue(threshold.isNumber() && threshold.asDouble() > 0,
                "the production version has no not-a-digit threshold (a model from before abstention)");
        open("predict");
        // Scribbled out: a dense zigzag over most of the canvas, then a loop through it.
        draw(canvas(), PointerInput.Kind.MOUSE, 280, new int[][] {{-100, -90}, {100, -70}, {-100, -40}, {100, -10},
                {-100, 20}, {100, 50}, {-100, 80}, {100, 100}});
        draw(canvas(), PointerInput.Kind.MOUSE, 280, new int[][] {{-90, 90}, {-60, -100}, {0, 60}, {60, -100}, {90, 90}});
        awaitSettled("digit-result");

        awaitAbstention("prediction-abstain", "not-a-digit");
        assertThat(driver.findElement(By.id("prediction-abstain")).getText()).isEqualTo("That doesn’t look like a digit");
        assertThat(driver.findElements(By.cssSelector("#bars .bar.top"))).isEmpty();
        screenshot("not-a-digit");

        // "That's wrong, it is…" also offers "not a digit", sent as label=none.
        Select label = new Select(driver.findElement(By.id("feedback-digit")));
        label.selectByValue("none");
        assertThat(label.getFirstSelectedOption().getText()).isEqualTo("not a digit");
        driver.findElement(By.id("send-feedback")).click();
        wait(WAIT).until(d -> d.findElement(By.id("feedback-status")).getText().contains("saved as not a digit"));
    }

    @Test
    @Order(9)
    void aDrawnDigitShowsTheImageTheServerSawWithItsAttributionsAsAHeatmap() throws IOException {
        open("predict");
        draw(canvas(), PointerInput.Kind.MOUSE, 280, new int[][] {{-70, -85}, {70, -85}, {-15, 95}});
        awaitText("prediction-digit", "7");
        // The answer to the finished drawing, not one from while it was drawn.
        awaitSettled("digit-result");
        WebElement preview = driver.findElement(By.id("input-preview"));
        assertThat(preview.getDomAttribute("data-source")).isEqualTo("server");

        // The same PNG the page sent, asked for again: its input is what the preview must show.
        String png = (String) js("return document.getElementById('draw-canvas').toDataURL('image/png')");
        JsonNode answer = http.post("/predict?explain=true", "image/png",
                Base64.getDecoder().decode(png.substring(png.indexOf(',') + 1))).json();
        assertThat(answer.get("digit").asInt()).isEqualTo(7);
        JsonNode attributions = answer.get("attributions");
        assertThat(attributions.get("digit").asInt()).isEqualTo(7);

        // With the heatmap: red toward 7 and blue away from it over the input.
        assertThat(preview.getDomAttribute("data-heatmap")).isEqualTo("shown");
        assertThat(colouredPixels("input-preview")).as("coloured pixels of the heatmap").isGreaterThan(20);
        assertThat(driver.findElement(By.id("heat-legend")).getText()).contains("toward 7");
        screenshot("heatmap");

        // Without it: exactly the server's 28×28 input, bright ink on black.
        driver.findElement(By.id("show-attributions")).click();
        assertThat(preview.getDomAttribute("data-heatmap")).isEqualTo("hidden");
        assertThat(colouredPixels("input-preview")).isZero();
        assertThat(driver.findElement(By.id("heat-legend")).isDisplayed()).isFalse();
        @SuppressWarnings("unchecked")
        List<Number> shown = (List<Number>) js("""
                const c = document.getElementById('input-preview');
                const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;
                return Array.from({length: 784}, (_, i) => d[i * 4]);""");
        JsonNode input = answer.get("input");
        assertThat(input.size()).isEqualTo(28);
        int lit = 0;
        for (int y = 0; y < 28; y++) {
            assertThat(input.get(y).size()).isEqualTo(28);
            for (int x = 0; x < 28; x++) {
                double expected = 255 * Math.max(0, Math.min(1, input.get(y).get(x).asDouble()));
                assertThat(shown.get(y * 28 + x).doubleValue()).as("preview pixel (%d, %d)", x, y)
                        .isCloseTo(expected, within(1.0));
                lit += expected >= 1 ? 1 : 0;
            }
        }
        assertThat(lit).as("lit pixels of the model input").isGreaterThan(20);
        screenshot("model-input");

        driver.findElement(By.id("show-attributions")).click();
        assertThat(colouredPixels("input-preview")).isGreaterThan(20);
    }

    @Test
    @Order(10)
    void numberModeReadsSeveralDigitsAndShowsTheirBoxes() throws IOException {
        boolean numbers = http.post("/predict?mode=number", "image/png", MnistImages.file(0, "png", 4)).json().has("number");
        open("predict");
        driver.findElement(By.id("mode-number")).click();
        wait(WAIT).until(d -> d.findElement(By.id("number-canvas")).isDisplayed());
        assertThat(driver.findElement(By.id("draw-canvas")).isDisplayed()).isFalse();
        WebElement canvas = driver.findElement(By.id("number-canvas"));

        // "1", "7" and "0" in a row on the 840×280 canvas, with gaps between them.
        draw(canvas, PointerInput.Kind.MOUSE, 840, new int[][] {{-275, -95}, {-285, 95}});
        draw(canvas, PointerInput.Kind.MOUSE, 840, new int[][] {{-70, -85}, {70, -85}, {-15, 95}});
        draw(canvas, PointerInput.Kind.MOUSE, 840, ellipse(280, 0, 55, 90));
        awaitSettled("number-result");

        if (!numbers) {
            // A service without number mode answers one digit: the page says so instead of showing it.
            wait(WAIT).until(d -> "error".equals(d.findElement(By.id("message")).getDomAttribute("data-kind")));
            assertThat(driver.findElement(By.id("message-title")).getText()).isEqualTo("Numbers are not available");
            assertThat(driver.findElement(By.id("number-value")).isDisplayed()).isFalse();
            assertThat(driver.findElement(By.id("number-abstain")).getText()).isEqualTo("This service cannot read numbers yet.");
            screenshot("number-unavailable");
            return;
        }
        awaitText("number-value", "170");
        List<WebElement> digits = driver.findElements(By.cssSelector("#number-digits .number-digit"));
        assertThat(digits).extracting(d -> d.getDomAttribute("data-digit")).containsExactly("1", "7", "0");
        assertThat(driver.findElement(By.id("number-confidence")).getText()).endsWith("%");
        assertThat(driver.findElement(By.id("number-overlay")).getDomAttribute("data-boxes")).isEqualTo("3");
        assertThat(litPixels("number-overlay")).as("drawn pixels of the boxes and labels").isGreaterThan(500);
        screenshot("number");

        // The correction stores each digit with its label, from the same image.
        type("number-feedback-label", "171");
        driver.findElement(By.id("send-number-feedback")).click();
        wait(WAIT).until(d -> d.findElement(By.id("number-feedback-status")).getText().contains("saved as 171"));

        // On a phone the wide canvas shrinks to the screen, the boxes with it.
        driver.manage().window().setSize(new Dimension(390, 844));
        wait(WAIT).until(d -> ((Number) js("return document.documentElement.clientWidth")).intValue() <= 400);
        Number overflow = (Number) js("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(overflow.intValue()).as("sideways overflow of the number mode").isLessThanOrEqualTo(0);
        assertThat(litPixels("number-overlay")).isGreaterThan(500);
        screenshot("phone-number");
    }

    // ---------------------------------------------------------------- helpers

    /** Loads the console afresh, types the admin key into its header, and switches to {@code view} by its tab. */
    private void open(String view) {
        driver.get(base + "/");
        js("localStorage.clear()");
        driver.navigate().refresh();
        type("api-key", ADMIN_KEY);
        driver.findElement(By.id("tab-" + view)).click();
        wait(WAIT).until(d -> d.findElement(By.id("view-" + view)).isDisplayed());
    }

    /** {@link #draw(WebElement, PointerInput.Kind, int, int[][])} on the 280-pixel digit canvas. */
    private void draw(WebElement canvas, PointerInput.Kind kind, int[][] path) {
        draw(canvas, kind, 280, path);
    }

    /**
     * Presses at the first point, moves through the others in small steps (so the page sees a real
     * stream of pointermove events and predicts while drawing) and lifts at the last. Points are
     * offsets from the centre of the element, scaled from a canvas {@code width} pixels wide to its
     * shown size.
     */
    private void draw(WebElement canvas, PointerInput.Kind kind, int width, int[][] path) {
        double scale = canvas.getRect().getWidth() / (double) width;
        PointerInput pointer = new PointerInput(kind, kind.name().toLowerCase());
        Sequence stroke = new Sequence(pointer, 0);
        PointerInput.Origin origin = PointerInput.Origin.fromElement(canvas);
        stroke.addAction(pointer.createPointerMove(Duration.ZERO, origin, scaled(path[0][0], scale), scaled(path[0][1], scale)));
        stroke.addAction(pointer.createPointerDown(PointerInput.MouseButton.LEFT.asArg()));
        for (int i = 1; i < path.length; i++) {
            int steps = 12;
            for (int s = 1; s <= steps; s++) {
                double x = path[i - 1][0] + (path[i][0] - path[i - 1][0]) * s / (double) steps;
                double y = path[i - 1][1] + (path[i][1] - path[i - 1][1]) * s / (double) steps;
                stroke.addAction(pointer.createPointerMove(Duration.ofMillis(15), origin, scaled(x, scale), scaled(y, scale)));
            }
        }
        stroke.addAction(pointer.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
        driver.perform(List.of(stroke));
    }

    private WebElement canvas() {
        return driver.findElement(By.id("draw-canvas"));
    }

    /** Points around an ellipse centred at (x, y), starting and ending at its top: a "0". */
    private static int[][] ellipse(int x, int y, int radiusX, int radiusY) {
        int[][] points = new int[13][];
        for (int i = 0; i <= 12; i++) {
            double angle = 2 * Math.PI * i / 12;
            points[i] = new int[] {x + (int) Math.round(radiusX * Math.sin(angle)),
                    y - (int) Math.round(radiusY * Math.cos(angle))};
        }
        return points;
    }

    /** Pixels of a canvas in colour (not gray): the heatmap. */
    private long colouredPixels(String canvasId) {
        return ((Number) js("""
                const c = document.getElementById(arguments[0]);
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 1] || d[i + 1] !== d[i + 2]) n++;
                return n;""", canvasId)).longValue();
    }

    /** Waits until the card has no answer outstanding: the one shown is the newest image's. */
    private void awaitSettled(String cardId) {
        wait(WAIT).until(d -> "false".equals(d.findElement(By.id(cardId)).getDomAttribute("aria-busy")));
    }

    private void awaitAbstention(String id, String reason) {
        try {
            wait(WAIT).until(d -> d.findElement(By.id(id)).isDisplayed()
                    && reason.equals(d.findElement(By.id(id)).getDomAttribute("data-reason")));
        } catch (RuntimeException e) {
            throw new AssertionError("#" + id + " shows no " + reason + " answer; the digit is '"
                    + driver.findElement(By.id("prediction-digit")).getText() + "', message: '"
                    + driver.findElement(By.id("message")).getText() + "'", e);
        }
    }

    private static byte[] blankPng(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return png.toByteArray();
    }

    private JsonNode productionModel() {
        JsonNode models = http.get("/models").json();
        String production = models.get("production").asString();
        for (JsonNode version : models.get("versions")) {
            if (production.equals(version.get("version").asString())) {
                return version;
            }
        }
        throw new AssertionError("no production version in " + models);
    }

    private static int scaled(double offset, double scale) {
        return (int) Math.round(offset * scale);
    }

    /** Pixels of a canvas that are neither transparent nor black: ink, chart lines, text. */
    private long litPixels(String canvasId) {
        return ((Number) js("""
                const c = document.getElementById(arguments[0]);
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] + d[i + 1] + d[i + 2]) > 0) n++;
                return n;""", canvasId)).longValue();
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve("console-" + name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    private void type(String id, String text) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    private void awaitText(String id, String text) {
        try {
            wait(WAIT).until(d -> text.equals(d.findElement(By.id(id)).getText()));
        } catch (RuntimeException e) {
            throw new AssertionError("#" + id + " is '" + driver.findElement(By.id(id)).getText() + "', not '" + text
                    + "'; message: '" + driver.findElement(By.id("message")).getText() + "'", e);
        }
    }

    private WebDriverWait wait(Duration limit) {
        return new WebDriverWait(driver, limit, Duration.ofMillis(100));
    }

    private Object js(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    private Map<String, String> aliases() {
        Map<String, String> aliases = new HashMap<>();
        http.get("/models").json().get("aliases").properties()
                .forEach(entry -> aliases.put(entry.getKey(), entry.getValue().asString()));
        return aliases;
    }

    /** A second version to promote when the job test did not run (this test run on its own). */
    private String importCopyOfProduction() {
        String production = aliases().get("production");
        byte[] archive = http.get("/models/" + production + "/download").raw().body();
        return http.post("/models", "application/zip", archive).json().get("version").asString();
    }
}
