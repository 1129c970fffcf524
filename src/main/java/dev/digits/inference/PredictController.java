package dev.digits.inference;

import dev.digits.images.MnistInput;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /predict}: an image body, multipart {@code file} parts, or JSON pixels, images or
 * instances. One image answers with one prediction; several answer with {@code predictions}.
 * Each image may abstain on its own ({@code "digit": null} with a {@code reason});
 * {@code reject=false} asks for the most likely digit regardless, and {@code explain=true} adds the
 * image the network saw and each pixel's attribution.
 */
@RestController
class PredictController {

    static final String IMAGE_BMP = "image/bmp";

    private final Answers answers;
    private final ClientImages images;
    private final InferenceProperties properties;

    PredictController(Answers answers, ClientImages images, InferenceProperties properties) {
        this.answers = answers;
        this.images = images;
        this.properties = properties;
    }

    static final String ANSWER = "Each image answers with its digit, or with digit null and a reason (no-ink: nothing "
            + "was drawn; not-a-digit: the calibrated top probability is below the version's threshold), always with "
            + "the calibrated confidence and the ten probabilities. An abstention is an answer (200), not an error.";
    static final String REJECT = "false: the most likely digit even where the answer would abstain";
    static final String EXPLAIN = "true: add input (the 28×28 image the network saw, rows of [0, 1]) and attributions "
            + "(integrated gradients of the explained digit, 28×28)";
    static final String MODEL = "a version number or alias; production when absent";

    /** The answer to a request with several images. */
    record BatchPredictions(List<Prediction> predictions) {
    }

    @PostMapping(path = "/predict", consumes = {MediaType.IMAGE_PNG_VALUE, MediaType.IMAGE_JPEG_VALUE,
            MediaType.IMAGE_GIF_VALUE, IMAGE_BMP})
    @Operation(summary = "Predict the digit in one image file (PNG, JPEG, GIF, BMP)", description = ANSWER)
    Prediction image(HttpServletRequest request, @Parameter(description = MODEL) @RequestParam(required = false) String model,
                     @Parameter(description = REJECT) @RequestParam(defaultValue = "true") boolean reject,
                     @Parameter(description = EXPLAIN) @RequestParam(defaultValue = "false") boolean explain) {
        MnistInput image = images.readBody(request);
        return answered(request, List.of(image), model, new Answers.Options(reject, explain)).get(0);
    }

    @PostMapping(path = "/predict", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Predict the digit in each multipart part named file; several answer with predictions",
            description = ANSWER)
    Object files(HttpServletRequest request, @RequestParam("file") List<MultipartFile> files,
                 @Parameter(description = MODEL) @RequestParam(required = false) String model,
                 @Parameter(description = REJECT) @RequestParam(defaultValue = "true") boolean reject,
                 @Parameter(description = EXPLAIN) @RequestParam(defaultValue = "false") boolean explain) {
        List<Prediction> predictions = answered(request, images.readParts(files), model,
                new Answers.Options(reject, explain));
        return predictions.size() == 1 ? predictions.get(0) : new BatchPredictions(predictions);
    }

    @PostMapping(path = "/predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Predict from JSON: {pixels}, {image: base64} or {instances: [...]}", description = ANSWER)
    Object json(HttpServletRequest request, @Parameter(description = MODEL) @RequestParam(required = false) String model,
                @Parameter(description = REJECT) @RequestParam(defaultValue = "true") boolean reject,
                @Parameter(description = EXPLAIN) @RequestParam(defaultValue = "false") boolean explain) {
        JsonImages.Parsed parsed = images.fromJson(request);
        List<Prediction> predictions = answered(request, parsed.inputs(), model, new Answers.Options(reject, explain));
        return parsed.batch() ? new BatchPredictions(predictions) : predictions.get(0);
    }

    /** Answers, and tells the metrics filter which version answered. */
    private List<Prediction> answered(HttpServletRequest request, List<MnistInput> inputs, String model,
                                      Answers.Options options) {
        List<Prediction> predictions = answers.answer(inputs, model, options);
        PredictMetricsFilter.answeredBy(request, predictions.get(0).modelVersion());
        return predictions;
    }
}
