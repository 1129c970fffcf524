package dev.digits.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client against a service started on a random port, as apps would call it. */
public final class Http {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String apiKey;

    /** A client without an API key: anonymous. */
    public Http(int port) {
        this(port, null);
    }

    /** A client that sends {@code X-API-Key: apiKey} with every request. */
    public Http(int port, String apiKey) {
        this.base = "http://localhost:" + port;
        this.apiKey = apiKey;
    }

    public record Response(int status, String contentType, String body, HttpResponse<byte[]> raw) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    public Response post(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    public Response postJson(String path, String json) {
        return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** Any method, body and headers; {@code contentType} and {@code body} may be null. */
    public Response send(String method, String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    /** A POST whose body has no declared length: sent chunked, so only counting while reading can limit it. */
    public Response postChunked(String path, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))));
    }

    /** multipart/form-data of named parts, in order: name, bytes, name, bytes… */
    public static Multipart multipart(Object... namesAndBytes) {
        String boundary = "----digits" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (int i = 0; i + 1 < namesAndBytes.length; i += 2) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + namesAndBytes[i]
                        + "\"; filename=\"f" + i + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.write((byte[]) namesAndBytes[i + 1]);
                out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return new Multipart("multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    public record Multipart(String contentType, byte[] body) {
    }

    public Response post(String path) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** multipart/form-data with one part per file, all named {@code name}. */
    public Response postMultipart(String path, String name, String fileContentType, byte[]... files) {
        String boundary = "----digits" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (int i = 0; i < files.length; i++) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"f" + i
                        + "\"\r\nContent-Type: " + fileContentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                out.write(files[i]);
                out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return post(path, "multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    private Response send(HttpRequest.Builder request) {
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        try {
            HttpResponse<byte[]> response = client.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    new String(response.body(), StandardCharsets.UTF_8), response);
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }
}
