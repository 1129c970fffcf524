package dev.digits.datasets;

import dev.digits.inference.ClientImages;
import dev.digits.inference.InvalidInputException;
import dev.digits.inference.InferenceProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /feedback}: an image in any {@code /predict} format with its correct digit, or
 * {@code none} when it is no digit, added to the {@code feedback} dataset that fine-tuning jobs can
 * learn from (the {@code none} ones as negatives, so the fine-tune learns to abstain on them).
 */
@RestController
class FeedbackController {

    private final ClientImages images;
    private final DatasetRepository store;
    private final InferenceProperties limits;

    FeedbackController(ClientImages images, DatasetRepository store, InferenceProperties limits) {
        this.images = images;
        this.store = store;
        this.limits = limits;
    }

    /** @param label the stored digit, or {@code "none"} */
    record Accepted(Object label, int feedbackSize) {
    }

    @PostMapping(path = "/feedback", consumes = {MediaType.IMAGE_PNG_VALUE, MediaType.IMAGE_JPEG_VALUE,
            MediaType.IMAGE_GIF_VALUE, "image/bmp"})
    @ResponseStatus(HttpStatus.CREATED)
    Accepted image(HttpServletRequest request, @RequestParam String label) {
        return add(images.fromBody(request), label);
    }

    @PostMapping(path = "/feedback", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Accepted file(@RequestParam MultipartFile file, @RequestParam String label) throws IOException {
        return add(images.fromPart(file), label);
    }

    /** {@code {"pixels": [...], "label": 3}} or {@code {"image": "<base64>", "label": "none"}}; the label may also be a query parameter. */
    @PostMapping(path = "/feedback", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Accepted json(HttpServletRequest request, @RequestParam(required = false) String label) {
        // Parsed once, for the image and the label: a base64 body can be megabytes.
        JsonNode body = images.readJson(request);
        List<float[]> parsed = images.fromJson(body).images();
        if (parsed.size() != 1) {
            throw new InvalidInputException("feedback takes exactly one image");
        }
        return add(parsed.get(0), label != null ? JsonLabel.parse(label) : JsonLabel.read(body));
    }

    private Accepted add(float[] unit, String label) {
        return add(unit, JsonLabel.parse(label));
    }

    private Accepted add(float[] unit, int label) {
        return new Accepted(JsonLabel.shown(label), store.addFeedback(unit, label));
    }
}
