package dev.digits.oipclient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Open Inference Protocol (KServe v2) REST client written from the protocol's documents alone:
 * KServe's {@code required_api.md} and the binary tensor data extension. It knows nothing of the
 * server it talks to (it uses only the JDK: java.net.http, its own JSON and binary encoding), so
 * that tests through it check the wire format, not the server's own reading of it.
 */
public final class OipClient {

    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /** @param base e.g. {@code http://localhost:8080} */
    public OipClient(String base) {
        this.base = base;
    }

    /**
     * A tensor. {@code values} holds its elements as the datatype needs: {@code byte[]} for UINT8,
     * {@code float[]} for FP32, {@code List<byte[]>} for BYTES; decoded outputs come as {@code double[]}.
     */
    public record Tensor(String name, String datatype, long[] shape, Object values) {

        public double[] numbers() {
            return (double[]) values;
        }
    }

    /** A response: outputs by name, and whether the body used the binary extension. */
    public record Inference(String modelName, String modelVersion, String id, Map<String, Tensor> outputs,
                            boolean binaryBody) {
    }

    /** A failed request: the HTTP status and the protocol's {@code error} message. */
    public static final class Failure extends RuntimeException {

        private final int status;

        Failure(int status, String error) {
            super(status + ": " + error);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Health: the status code is the answer (200 true, 4xx false). */
    public boolean serverLive() {
        return get("/v2/health/live").statusCode() == 200;
    }

    public boolean serverReady() {
        return get("/v2/health/ready").statusCode() == 200;
    }

    public boolean modelReady(String model, String version) {
        return get(modelPath(model, version) + "/ready").statusCode() == 200;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> serverMetadata() {
        return (Map<String, Object>) MiniJson.parse(text(ok(get("/v2"))));
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> modelMetadata(String model, String version) {
        return (Map<String, Object>) MiniJson.parse(text(ok(get(modelPath(model, version)))));
    }

    /**
     * Runs one inference.
     *
     * @param version null lets the server choose
     * @param outputs the outputs to ask for; empty asks for all
     * @param binaryInputs send the inputs as binary data after the JSON, else as JSON arrays
     * @param binaryOutputs ask for every output as binary data
     */
    public Inference infer(String model, String version, List<Tensor> inputs, List<String> outputs,
                           boolean binaryInputs, boolean binaryOutputs) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", "client-" + System.nanoTime());
        List<Object> inputObjects = new ArrayList<>();
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        for (Tensor input : inputs) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("name", input.name());
            object.put("shape", longs(input.shape()));
            object.put("datatype", input.datatype());
            if (binaryInputs) {
                byte[] bytes = binary(input);
                object.put("parameters", Map.of("binary_data_size", (long) bytes.length));
                binary.writeBytes(bytes);
            } else {
                object.put("data", jsonData(input));
            }
            inputObjects.add(object);
        }
        request.put("inputs", inputObjects);
        if (!outputs.isEmpty()) {
            List<Object> outputObjects = new ArrayList<>();
            for (String output : outputs) {
                outputObjects.add(Map.of("name", output, "parameters", Map.of("binary_data", binaryOutputs)));
            }
            request.put("outputs", outputObjects);
        } else if (binaryOutputs) {
            request.put("parameters", Map.of("binary_data_output", true));
        }

        byte[] json = MiniJson.write(request).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + modelPath(model, version) + "/infer"));
        byte[] body = json;
        if (binary.size() > 0) {
            ByteArrayOutputStream all = new ByteArrayOutputStream(json.length + binary.size());
            all.writeBytes(json);
            all.writeBytes(binary.toByteArray());
            body = all.toByteArray();
            builder.header(HEADER_LENGTH, String.valueOf(json.length)).header("Content-Type", "application/octet-stream");
        } else {
            builder.header("Content-Type", "application/json");
        }
        HttpResponse<byte[]> response = ok(send(builder.POST(HttpRequest.BodyPublishers.ofByteArray(body))));
        return decode(response, String.valueOf(request.get("id")));
    }

    @SuppressWarnings("unchecked")
    private static Inference decode(HttpResponse<byte[]> response, String sentId) {
        byte[] body = response.body();
        String header = response.headers().firstValue(HEADER_LENGTH).orElse(null);
        int jsonLength = header == null ? body.length : Integer.parseInt(header);
        Map<String, Object> answer = (Map<String, Object>) MiniJson.parse(
                new String(body, 0, jsonLength, StandardCharsets.UTF_8));
        if (!sentId.equals(answer.get("id"))) {
            throw new IllegalStateException("the response's id is " + answer.get("id") + ", not " + sentId);
        }
        ByteBuffer binary = ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        for (Object item : (List<Object>) answer.get("outputs")) {
            Map<String, Object> output = (Map<String, Object>) item;
            String name = (String) output.get("name");
            String datatype = (String) output.get("datatype");
            long[] shape = ((List<Object>) output.get("shape")).stream().mapToLong(d -> (Long) d).toArray();
            Map<String, Object> parameters = (Map<String, Object>) output.getOrDefault("parameters", Map.of());
            double[] values;
            if (parameters.containsKey("binary_data_size")) {
                int size = ((Long) parameters.get("binary_data_size")).intValue();
                ByteBuffer own = binary.slice(binary.position(), size).order(ByteOrder.LITTLE_ENDIAN);
                binary.position(binary.position() + size);
                values = fromBinary(own, datatype);
            } else {
                values = flatten(output.get("data"));
            }
            outputs.put(name, new Tensor(name, datatype, shape, values));
        }
        if (binary.hasRemaining()) {
            throw new IllegalStateException(binary.remaining() + " binary bytes were not claimed by any output");
        }
        return new Inference((String) answer.get("model_name"), (String) answer.get("model_version"),
                (String) answer.get("id"), outputs, header != null);
    }

    /** Little-endian, row-major; BYTES elements as a 4-byte length and then the bytes. */
    @SuppressWarnings("unchecked")
    private static byte[] binary(Tensor tensor) {
        switch (tensor.datatype()) {
            case "UINT8":
                return (byte[]) tensor.values();
            case "FP32": {
                float[] values = (float[]) tensor.values();
                ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(values);
                return bytes.array();
            }
            case "BYTES": {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (byte[] element : (List<byte[]>) tensor.values()) {
                    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(element.length).array());
                    out.writeBytes(element);
                }
                return out.toByteArray();
            }
            default:
                throw new IllegalArgumentException("this client does not send " + tensor.datatype());
        }
    }

    /** Flat JSON data. BYTES have no standard JSON form for non-text bytes, so this client sends them binary only. */
    private static List<Object> jsonData(Tensor tensor) {
        List<Object> data = new ArrayList<>();
        switch (tensor.datatype()) {
            case "UINT8" -> {
                for (byte value : (byte[]) tensor.values()) {
                    data.add((long) (value & 0xff));
                }
            }
            case "FP32" -> {
                for (float value : (float[]) tensor.values()) {
                    data.add((double) value);
                }
            }
            default -> throw new IllegalArgumentException("this client sends " + tensor.datatype() + " as binary only");
        }
        return data;
    }

    private static double[] fromBinary(ByteBuffer bytes, String datatype) {
        int size = switch (datatype) {
            case "UINT8", "INT8", "BOOL" -> 1;
            case "INT32", "UINT32", "FP32" -> 4;
            case "INT64", "UINT64", "FP64" -> 8;
            default -> throw new IllegalArgumentException("this client does not read " + datatype);
        };
        double[] values = new double[bytes.remaining() / size];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (datatype) {
                case "UINT8", "BOOL" -> bytes.get() & 0xff;
                case "INT8" -> bytes.get();
                case "INT32" -> bytes.getInt();
                case "UINT32" -> Integer.toUnsignedLong(bytes.getInt());
                case "FP32" -> bytes.getFloat();
                case "FP64" -> bytes.getDouble();
                default -> bytes.getLong();
            };
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    private static double[] flatten(Object data) {
        List<Double> values = new ArrayList<>();
        List<Object> pending = new ArrayList<>(List.of(data));
        while (!pending.isEmpty()) {
            Object next = pending.remove(0);
            if (next instanceof List<?> list) {
                pending.addAll(0, (List<Object>) list);
            } else {
                values.add(((Number) next).doubleValue());
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static List<Object> longs(long[] values) {
        List<Object> list = new ArrayList<>();
        for (long value : values) {
            list.add(value);
        }
        return list;
    }

    private static String modelPath(String model, String version) {
        return "/v2/models/" + model + (version == null ? "" : "/versions/" + version);
    }

    private HttpResponse<byte[]> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A failed request must carry {"error": "..."} (required_api.md). */
    @SuppressWarnings("unchecked")
    private static HttpResponse<byte[]> ok(HttpResponse<byte[]> response) {
        if (response.statusCode() == 200) {
            return response;
        }
        Object body = MiniJson.parse(text(response));
        if (!(body instanceof Map<?, ?> map) || !(map.get("error") instanceof String error)) {
            throw new IllegalStateException("a failed request without an error object: " + text(response));
        }
        throw new Failure(response.statusCode(), error);
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
