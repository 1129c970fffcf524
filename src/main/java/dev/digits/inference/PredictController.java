package dev.digits.inference;

import dev.digits.images.MnistInput;
import dev.digits.web.PayloadTooLargeException;
import dev.digits.web.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /predict}: an image body, multipart {@code file} parts, or JSON pixels, images or
 * instances. One image answers with one prediction; several answer with {@code predictions}.
 * Each image may abstain on its own ({@code "digit": null} with a {@code reason});
 * {@code reject=false} asks for the most likely digit regardless.
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

    /** The answer to a request with several images. */
    record BatchPredictions(List<Prediction> predictions) {
    }

    @PostMapping(path = "/predict", consumes = {MediaType.IMAGE_PNG_VALUE, MediaType.IMAGE_JPEG_VALUE,
            MediaType.IMAGE_GIF_VALUE, IMAGE_BMP})
    Prediction image(HttpServletRequest request, @RequestParam(required = false) String model,
                     @RequestParam(defaultValue = "true") boolean reject) {
        MnistInput image = images.read(RequestBodies.read(request, properties.maxBodySize().toBytes()));
        return answered(request, List.of(image), model, reject).get(0);
    }

    @PostMapping(path = "/predict", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Object files(HttpServletRequest request, @RequestParam("file") List<MultipartFile> files,
                 @RequestParam(required = false) String model, @RequestParam(defaultValue = "true") boolean reject) {
        if (files.size() > properties.maxImagesPerRequest()) {
            throw new PayloadTooLargeException(files.size() + " files exceed the limit of "
                    + properties.maxImagesPerRequest() + " images per request");
        }
        List<MnistInput> inputs = new ArrayList<>(files.size());
        for (MultipartFile file : files) {
            if (file.getSize() > properties.maxBodySize().toBytes()) {
                throw new PayloadTooLargeException("file '" + file.getOriginalFilename() + "' exceeds "
                        + properties.maxBodySize());
            }
            try {
                inputs.add(images.read(file.getBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<Prediction> predictions = answered(request, inputs, model, reject);
        return predictions.size() == 1 ? predictions.get(0) : new BatchPredictions(predictions);
    }

    @PostMapping(path = "/predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    Object json(HttpServletRequest request, @RequestParam(required = false) String model,
                @RequestParam(defaultValue = "true") boolean reject) {
        byte[] body = RequestBodies.read(request, properties.maxBodySize().toBytes());
        JsonImages.Parsed parsed = images.fromJson(body);
        List<Prediction> predictions = answered(request, parsed.inputs(), model, reject);
        return parsed.batch() ? new BatchPredictions(predictions) : predictions.get(0);
    }

    /** Answers, and tells the metrics filter which version answered. */
    private List<Prediction> answered(HttpServletRequest request, List<MnistInput> inputs, String model,
                                      boolean reject) {
        List<Prediction> predictions = answers.answer(inputs, model, new Answers.Options(reject));
        PredictMetricsFilter.answeredBy(request, predictions.get(0).modelVersion());
        return predictions;
    }
}
