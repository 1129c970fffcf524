package dev.digits.web;

import dev.digits.storage.AtomicFiles;
import static dev.digits.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.model.ModelArchive;
import dev.digits.support.Http;
import dev.digits.support.MnistImages;
import dev.digits.support.ServiceTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every response outside 2xx is a problem detail ({@code application/problem+json}), on every path
 * (under {@code /v2} the Open Inference Protocol's own {@code {"error": "..."}}),
 * including those that never reach a controller: Tomcat's URL checks, the security firewall, the
 * servlet error page, multipart parsing. No response names a path of the store.
 */
class ProblemDetailsTests extends ServiceTest {

    private static final String PIXELS = "{\"pixels\":" + MnistImages.pixelsJson(0) + "}";

    @Test
    void urlsRefusedBeforeTheApplicationAreProblemDetails() {
        // The battery's cases, then variations: other encodings, other endpoints, with and without a key.
        List<String> paths = List.of("//jobs", "/%2e%2e/jobs", "/models%2f1", "/jobs;x=1", "/models/%2E%2E/1",
                "/datasets%2F..%2Fmodels", "/jobs/%00", "/models/%5c1", "/predict/..;/jobs", "/%2e/models", "///predict");
        for (Http client : List.of(http, new Http(port))) {
            for (String path : paths) {
                Http.Response response = client.get(path);
                assertProblem(response, 400, null);
                assertThat(response.body()).doesNotContain("<html");
            }
        }
        assertProblem(http.send("GET", "/jobs", null, null, "X-Big", "a".repeat(20_000)), 400, null);
    }

    @Test
    void theErrorPageIsAProblemDetailAndNotFoundWhenAskedForDirectly() {
        assertProblem(http.get("/error"), 404, "Not found");
        assertProblem(new Http(port).get("/error"), 404, "Not found");
        assertProblem(http.post("/error", "application/json", "{}".getBytes()), 404, "Not found");
        assertProblem(http.get("/no/such/thing"), 404, null);
        assertProblem(http.send("PATCH", "/models", "application/json", "{}".getBytes()), 405, null);
    }

    @Test
    void multipartBodiesWithoutABoundaryOrWithoutAnEndAreBadRequests() {
        byte[] digit = MnistImages.file(0, "png", 1);
        byte[] unclosed = ("--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] unclosedWithImage = concat(unclosed, digit);
        for (String path : List.of("/predict", "/feedback?label=3", "/datasets", "/models")) {
            assertProblem(http.post(path, "multipart/form-data", digit), 400, "Invalid multipart request");
            assertProblem(http.post(path, "multipart/form-data; boundary=XX", unclosedWithImage), 400,
                    "Invalid multipart request");
            assertProblem(http.post(path, "multipart/form-data; boundary=YY", unclosedWithImage), 400, null);
            assertProblem(http.post(path, "multipart/form-data; boundary=XX", new byte[0]), 400, null);
        }
    }

    @Test
    void aVersionFolderWithoutModelJsonIsAProblemWithoutAPath() throws IOException {
        Path models = HOME.resolve("models");
        String missingJson = String.valueOf(highestVersion(models) + 100);
        String missingParameters = String.valueOf(highestVersion(models) + 101);
        Files.createDirectories(models.resolve(missingJson));
        Files.createDirectories(models.resolve(missingParameters));
        Files.copy(models.resolve("1").resolve(ModelArchive.METADATA),
                models.resolve(missingParameters).resolve(ModelArchive.METADATA));
        try {
            for (Http client : List.of(http, new Http(port))) {
                Http.Response predicted = client.postJson("/predict?model=" + missingJson, PIXELS);
                assertProblem(predicted, 422, "Model cannot be used");
                assertThat(predicted.json().get("detail").asString()).contains("model version " + missingJson)
                        .contains("model.json is missing");
                assertProblem(client.postJson("/predict?model=" + missingParameters, PIXELS), 422,
                        "Model cannot be used");
            }
            assertProblem(http.get("/models/" + missingJson), 422, "Model cannot be used");
            assertProblem(http.post("/models/" + missingParameters + "/promote"), 422, "Model cannot be used");
            JsonNode corrupt = http.get("/actuator/health").json().at("/components/models/details/corruptVersions");
            assertThat(corrupt.get(missingJson).asString()).isEqualTo("model.json is missing");
            assertThat(corrupt.get(missingParameters).asString()).contains(ModelArchive.PARAMETERS);
            assertThat(corrupt.toString()).doesNotContain(HOME.toString()).doesNotContain("/tmp");
        } finally {
            AtomicFiles.deleteRecursively(models.resolve(missingJson));
            AtomicFiles.deleteRecursively(models.resolve(missingParameters));
        }
    }

    /**
     * Malformed requests to every operation of the OpenAPI document: broken URLs, hostile path
     * parameters, wrongly typed query parameters, bodies of the wrong type, malformed bodies of each
     * declared type. Each must be refused with a 4xx problem detail, and none may name a store path.
     */
    @Test
    void everyEndpointInTheOpenApiDocumentAnswersMalformedRequestsWithProblemDetails() {
        JsonNode paths = http.get("/v3/api-docs").json().get("paths");
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                String method = operation.getKey().toUpperCase();
                for (Malformed request : malformed(path.getKey(), operation.getValue())) {
                    Http.Response response = http.send(method, request.path(), request.contentType(), request.body());
                    sent++;
                    // The Open Inference Protocol defines its own error body, which its clients expect; a URL
                    // refused before it is routed (a double or encoded slash, say) cannot be told to be v2.
                    String problem = check(response);
                    if (problem != null && path.getKey().startsWith("/v2") && checkProtocolError(response) == null) {
                        problem = null;
                    }
                    if (problem != null) {
                        failures.add(method + " " + request.path() + " (" + request.what() + "): " + problem);
                    }
                }
            }
        }
        assertThat(sent).isGreaterThan(150);
        assertThat(failures).isEmpty();
    }

    private record Malformed(String what, String path, String contentType, byte[] body) {
    }

    private static List<Malformed> malformed(String template, JsonNode operation) {
        List<Malformed> requests = new ArrayList<>();
        String valid = template.replaceAll("\\{[^}]+}", "1");
        String query = "";
        for (JsonNode parameter : operation.path("parameters")) {
            if (parameter.get("in").asString().equals("query") && parameter.path("required").asBoolean(false)) {
                query = "?" + parameter.get("name").asString() + "=1"; // e.g. /feedback's label
            }
        }
        // Broken URLs: refused by Tomcat or by the firewall before any controller.
        requests.add(new Malformed("double slash", "/" + valid + query, null, null));
        int last = valid.lastIndexOf('/');
        String encodedSlash = last > 0 ? valid.substring(0, last) + "%2f" + valid.substring(last + 1)
                : "/%2f" + valid.substring(1);
        requests.add(new Malformed("encoded slash", encodedSlash + query, null, null));
        requests.add(new Malformed("encoded dot segment", "/%2e%2e" + valid + query, null, null));
        requests.add(new Malformed("matrix parameter", valid + ";jsessionid=1" + query, null, null));
        requests.add(new Malformed("NUL byte", valid + "%00" + query, null, null));
        // Hostile path parameters.
        if (template.contains("{")) {
            for (String value : List.of("does-not-exist", "999999999", "-1", "..%2f..%2fetc", "%2e%2e", "x".repeat(3000),
                    "%00", "%c0%ae%c0%ae", "1%20OR%201=1", "..;")) {
                requests.add(new Malformed("path parameter " + value, template.replaceAll("\\{[^}]+}", value) + query,
                        null, null));
            }
        }
        // Wrongly typed query parameters.
        for (JsonNode parameter : operation.path("parameters")) {
            JsonNode schema = parameter.path("schema");
            if (!parameter.get("in").asString().equals("query")) {
                continue;
            }
            String name = parameter.get("name").asString();
            String bad = schema.path("type").asString().equals("integer") ? "not-a-number"
                    : schema.has("enum") ? "NOT_A_STATE" : null;
            if (bad != null) {
                requests.add(new Malformed("query " + name + "=" + bad, valid + "?" + name + "=" + bad, null, null));
            }
        }
        // Bodies: a type no endpoint takes, then malformed bodies of each declared type.
        if (operation.has("requestBody")) {
            requests.add(new Malformed("text/plain body", valid + query, "text/plain", "hello".getBytes()));
            requests.add(new Malformed("xml body", valid + query, "application/xml", "<a/>".getBytes()));
            for (String type : operation.path("requestBody").path("content").propertyNames()) {
                if (type.startsWith("multipart/")) {
                    requests.add(new Malformed("multipart without boundary", valid + query, "multipart/form-data",
                            "garbage".getBytes()));
                    requests.add(new Malformed("multipart without closing boundary", valid + query,
                            "multipart/form-data; boundary=XX", ("--XX\r\nContent-Disposition: form-data; "
                                    + "name=\"file\"; filename=\"a\"\r\n\r\nabc").getBytes()));
                    requests.add(new Malformed("multipart without the expected parts", valid + query,
                            Http.multipart("unexpected", "x".getBytes()).contentType(),
                            Http.multipart("unexpected", "x".getBytes()).body()));
                    Http.Multipart garbage = Http.multipart("file", "not an image, a zip or IDX".getBytes(),
                            "images", "x".getBytes(), "labels", "y".getBytes());
                    requests.add(new Malformed("multipart of garbage", valid + query, garbage.contentType(),
                            garbage.body()));
                } else if (type.contains("json")) {
                    requests.add(new Malformed("truncated JSON", valid + query, type, "{\"type\": ".getBytes()));
                    requests.add(new Malformed("JSON of the wrong shape", valid + query, type, "[1, 2, 3]".getBytes()));
                    requests.add(new Malformed("deeply nested JSON", valid + query, type,
                            ("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}").getBytes()));
                    requests.add(new Malformed("not UTF-8", valid + query, type, new byte[] {(byte) 0xff, (byte) 0xfe, 0}));
                }
            }
            // The other body types the endpoints take, malformed, whether or not the document lists them.
            for (String type : List.of("application/json", "application/zip", "image/png", "application/octet-stream")) {
                requests.add(new Malformed("garbage as " + type, valid + query, type, "\u0000garbage{".getBytes()));
            }
        }
        return requests;
    }

    /** @return what is wrong with the response, or null if it is a 4xx problem detail that names no path */
    private static String check(Http.Response response) {
        if (response.status() < 400 || response.status() > 499) {
            return "status " + response.status() + ": " + abbreviated(response.body());
        }
        if (!response.contentType().startsWith("application/problem+json")) {
            return "content type " + response.contentType() + ": " + abbreviated(response.body());
        }
        JsonNode problem;
        try {
            problem = response.json();
        } catch (RuntimeException e) {
            return "not JSON: " + abbreviated(response.body());
        }
        if (problem.path("status").asInt() != response.status() || problem.path("title").asString("").isBlank()) {
            return "not a complete problem detail: " + abbreviated(response.body());
        }
        if (response.body().contains(HOME.toString())) {
            return "names a store path: " + abbreviated(response.body());
        }
        return null;
    }

    /** @return what is wrong with the response, or null if it is a 4xx {@code {"error": "..."}} that names no path */
    private static String checkProtocolError(Http.Response response) {
        if (response.status() < 400 || response.status() > 499) {
            return "status " + response.status() + ": " + abbreviated(response.body());
        }
        if (!response.contentType().startsWith("application/json")) {
            return "content type " + response.contentType() + ": " + abbreviated(response.body());
        }
        try {
            if (response.json().path("error").asString("").isBlank()) {
                return "no protocol error message: " + abbreviated(response.body());
            }
        } catch (RuntimeException e) {
            return "not JSON: " + abbreviated(response.body());
        }
        if (response.body().contains(HOME.toString())) {
            return "names a store path: " + abbreviated(response.body());
        }
        return null;
    }

    private static String abbreviated(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    private static int highestVersion(Path models) throws IOException {
        try (Stream<Path> children = Files.list(models)) {
            return children.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]+"))
                    .mapToInt(Integer::parseInt).max().orElse(0);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
