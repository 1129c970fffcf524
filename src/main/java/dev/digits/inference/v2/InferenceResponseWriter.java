package dev.digits.inference.v2;

import dev.digits.inference.Prediction;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the inference response: the JSON object, then the outputs that go as binary, in the
 * order the JSON lists them. An output is binary when its {@code binary_data} says so, or else
 * when the request's {@code binary_data_output} does.
 */
final class InferenceResponseWriter {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** @param jsonLength the {@code Inference-Header-Content-Length}; -1 when the body is JSON only */
    record Body(byte[] bytes, int jsonLength) {
    }

    private InferenceResponseWriter() {
    }

    static Body write(InferenceRequest request, List<Prediction> predictions) {
        List<InferenceRequest.Output> outputs = request.outputs().isEmpty()
                ? Signature.OUTPUTS.stream().map(o -> new InferenceRequest.Output(o.name(), null)).toList()
                : request.outputs();
        List<byte[]> binaries = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = MAPPER.createGenerator(body)) {
            json.writeStartObject();
            json.writeStringProperty("model_name", Signature.MODEL);
            json.writeStringProperty("model_version", predictions.get(0).modelVersion());
            if (request.id() != null) {
                json.writeStringProperty("id", request.id());
            }
            json.writeName("outputs");
            json.writeStartArray();
            for (InferenceRequest.Output output : outputs) {
                OutputTensors.Tensor tensor = OutputTensors.of(output.name(), predictions);
                boolean binary = output.binary() != null ? output.binary() : request.binaryOutputs();
                writeTensor(json, tensor, binary);
                if (binary) {
                    binaries.add(tensor.littleEndian());
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        if (binaries.isEmpty()) {
            return new Body(body.toByteArray(), -1);
        }
        int jsonLength = body.size();
        binaries.forEach(body::writeBytes);
        return new Body(body.toByteArray(), jsonLength);
    }

    private static void writeTensor(JsonGenerator json, OutputTensors.Tensor tensor, boolean binary) {
        json.writeStartObject();
        json.writeStringProperty("name", tensor.name());
        json.writeStringProperty("datatype", tensor.datatype().name());
        json.writeName("shape");
        json.writeArray(tensor.shape(), 0, tensor.shape().length);
        if (binary) {
            json.writeName("parameters");
            json.writeStartObject();
            json.writeNumberProperty(InferenceRequestReader.BINARY_DATA_SIZE, tensor.byteSize());
            json.writeEndObject();
        } else {
            json.writeName("data");
            json.writeStartArray();
            if (tensor.floats() != null) {
                for (float value : tensor.floats()) {
                    json.writeNumber(value);
                }
            } else {
                for (long value : tensor.longs()) {
                    json.writeNumber(value);
                }
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }
}
