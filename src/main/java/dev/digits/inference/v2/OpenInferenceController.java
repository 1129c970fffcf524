package dev.digits.inference.v2;

import dev.digits.inference.Answers;
import dev.digits.inference.InferenceProperties;
import dev.digits.inference.PredictMetricsFilter;
import dev.digits.inference.Prediction;
import dev.digits.registry.ModelRegistry;
import dev.digits.web.RequestBodies;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Open Inference Protocol (KServe v2) over HTTP/REST, with the binary tensor data extension.
 * One model, {@code digits}; its versions are the registry's version numbers and aliases, and
 * {@code production} serves when the path names none. Errors are the protocol's {@code {"error": ...}}
 * ({@link V2ExceptionResolver}).
 */
@RestController
@Tag(name = "Open Inference Protocol v2", description = "KServe v2 / Open Inference Protocol, REST, with the "
        + "binary tensor data extension. Errors are {\"error\": \"...\"}.")
class OpenInferenceController {

    private static final String MODEL = "/v2/models/{name}";
    private static final String VERSION = "/v2/models/{name}/versions/{version}";
    private static final MediaType OCTET_STREAM = MediaType.APPLICATION_OCTET_STREAM;

    private final Metadata metadata;
    private final ServerHealth health;
    private final ModelRegistry registry;
    private final InputTensors inputs;
    private final Answers answers;
    private final InferenceProperties properties;

    OpenInferenceController(Metadata metadata, ServerHealth health, ModelRegistry registry, InputTensors inputs,
                            Answers answers, InferenceProperties properties) {
        this.metadata = metadata;
        this.health = health;
        this.registry = registry;
        this.inputs = inputs;
        this.answers = answers;
        this.properties = properties;
    }

    /** The protocol's error body, for the API description. */
    record ProtocolError(String error) {
    }

    @GetMapping({"/v2", "/v2/"})
    @Operation(summary = "Server metadata: name, version and extensions (binary_tensor_data)")
    Metadata.Server server() {
        return metadata.server();
    }

    @GetMapping("/v2/health/live")
    @Operation(summary = "Server live: 200, empty body (400 when not)")
    @ApiResponse(responseCode = "200", description = "live")
    @ApiResponse(responseCode = "400", description = "not live")
    ResponseEntity<Void> live() {
        return healthy(health.live());
    }

    @GetMapping("/v2/health/ready")
    @Operation(summary = "Server ready: 200 when the production model is loaded and the inference workers run, "
            + "else 400; empty body")
    @ApiResponse(responseCode = "200", description = "ready")
    @ApiResponse(responseCode = "400", description = "not ready")
    ResponseEntity<Void> ready() {
        return healthy(health.ready());
    }

    @GetMapping({MODEL, VERSION})
    @Operation(summary = "Model metadata: versions, platform, inputs (pixels UINT8, pixels_fp32 FP32, image BYTES: "
            + "send one) and outputs (probabilities, digit, logits)")
    @ApiResponse(responseCode = "200", description = "the model's metadata", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = Metadata.Model.class)))
    @ApiResponse(responseCode = "404", description = "unknown model, version or alias",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ProtocolError.class)))
    Metadata.Model model(@PathVariable String name, @PathVariable(required = false) String version) {
        checkName(name);
        return metadata.model(version);
    }

    @GetMapping({MODEL + "/ready", VERSION + "/ready"})
    @Operation(summary = "Model ready: 200 when the server is ready and the version can be served, else 400; "
            + "empty body")
    @ApiResponse(responseCode = "200", description = "ready")
    @ApiResponse(responseCode = "400", description = "not ready")
    @ApiResponse(responseCode = "404", description = "unknown model, version or alias",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ProtocolError.class)))
    ResponseEntity<Void> modelReady(@PathVariable String name, @PathVariable(required = false) String version) {
        checkName(name);
        return healthy(health.ready(version));
    }

    @PostMapping({MODEL + "/infer", VERSION + "/infer"})
    @Operation(summary = "Inference", description = """
            One input: pixels (UINT8 [N,28,28] or [N,1,28,28], 0-255, bright ink on black), pixels_fp32 (FP32, \
            the same shapes, in [0, 1]) or image (BYTES [N]: PNG, JPEG, GIF or BMP files, base64 in JSON). \
            Outputs: probabilities (FP32 [N,10]), digit (INT64 [N], -1 where the model abstains), logits \
            (FP32 [N,10]); all unless "outputs" names some. With the binary tensor data extension the body is \
            the JSON, then the binary tensors; Inference-Header-Content-Length gives the JSON's length, and \
            binary_data / binary_data_output ask for binary outputs.""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE),
                    @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE)}))
    @ApiResponse(responseCode = "200", description = "the outputs; application/octet-stream with "
            + "Inference-Header-Content-Length when some are binary", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE),
            @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE)})
    @ApiResponse(responseCode = "400", description = "malformed request, framing, shape, datatype or values",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ProtocolError.class)))
    @ApiResponse(responseCode = "404", description = "unknown model, version or alias",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ProtocolError.class)))
    ResponseEntity<byte[]> infer(@PathVariable String name, @PathVariable(required = false) String version,
                                 HttpServletRequest request) {
        checkName(name);
        if (version != null) {
            registry.resolve(version); // an unknown version is 404 before the body is read
        }
        byte[] body = RequestBodies.read(request, properties.maxBodySize().toBytes());
        InferenceRequest inference = InferenceRequestReader.read(body, request.getHeader(BinaryFraming.HEADER));
        // The same answers as /predict: blank images abstain as no-ink, others below the threshold as not-a-digit.
        List<Prediction> predictions = answers.answer(inputs.modelInputs(inference.inputs()), version,
                Answers.Options.DEFAULT);
        PredictMetricsFilter.answeredBy(request, predictions.get(0).modelVersion());
        InferenceResponseWriter.Body response = InferenceResponseWriter.write(inference, predictions);
        if (response.jsonLength() < 0) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(response.bytes());
        }
        return ResponseEntity.ok().contentType(OCTET_STREAM)
                .header(BinaryFraming.HEADER, String.valueOf(response.jsonLength())).body(response.bytes());
    }

    private static void checkName(String name) {
        if (!Signature.MODEL.equals(name)) {
            throw new UnknownModelNameException(name);
        }
    }

    /** The protocol's health answer: the status says it, the body is empty. */
    private static ResponseEntity<Void> healthy(boolean yes) {
        return yes ? ResponseEntity.ok().build() : ResponseEntity.badRequest().build();
    }
}
