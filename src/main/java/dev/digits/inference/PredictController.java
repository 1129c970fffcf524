package dev.digits.inference;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /predict}: an image body, multipart {@code file} parts, or JSON pixels, images or
 * instances. One image answers with one prediction; several answer with {@code predictions}.
 */
@RestController
class PredictController {

    static final String IMAGE_BMP = "image/bmp";

    private final BatchingPredictor predictor;
    private final ClientImages images;
    private final InferenceProperties properties;

    PredictController(BatchingPredictor predictor, ClientImages images, InferenceProperties properties) {
        this.predictor = predictor;
        this.images = images;
        this.properties = properties;
    }

    /** The answer to a request with several images. */
    record BatchPredictions(List<Prediction> predictions) {
    }

    @PostMapping(path = "/predict", consumes = {MediaType.IMAGE_PNG_VALUE, MediaType.IMAGE_JPEG_VALUE,
            MediaType.IMAGE_GIF_VALUE, IMAGE_BMP})
    Prediction image(HttpServletRequest request, @RequestParam(required = false) String model) {
        float[] image = images.fromBody(request);
        return answered(request, predictor.predict(List.of(image), model)).get(0);
    }

    @PostMapping(path = "/predict", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Object files(HttpServletRequest request, @RequestParam("file") List<MultipartFile> files,
                 @RequestParam(required = false) String model) {
        List<float[]> unitImages = images.fromParts(files);
        List<Prediction> predictions = answered(request, predictor.predict(unitImages, model));
        return predictions.size() == 1 ? predictions.get(0) : new BatchPredictions(predictions);
    }

    @PostMapping(path = "/predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    Object json(HttpServletRequest request, @RequestParam(required = false) String model) {
        JsonImages.Parsed parsed = images.fromJson(request);
        List<Prediction> predictions = answered(request, predictor.predict(parsed.images(), model));
        return parsed.batch() ? new BatchPredictions(predictions) : predictions.get(0);
    }

    /** Tells the metrics filter which version answered. */
    private static List<Prediction> answered(HttpServletRequest request, List<Prediction> predictions) {
        request.setAttribute(PredictMetricsFilter.MODEL_VERSION, predictions.get(0).modelVersion());
        return predictions;
    }
}
