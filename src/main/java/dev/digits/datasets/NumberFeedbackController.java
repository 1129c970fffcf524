package dev.digits.datasets;

import dev.digits.data.LabelledImages;
import dev.digits.images.NumberTooLongException;
import dev.digits.inference.InferenceProperties;
import dev.digits.inference.InvalidInputException;
import dev.digits.inference.JsonImages;
import dev.digits.inference.NumberReadings;
import dev.digits.web.PayloadTooLargeException;
import dev.digits.web.RequestBodies;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /feedback?mode=number&label=4071}: an image of a row of digits with the number it
 * shows. The image is cut into as many digits as the label has, where they read best as those
 * digits, and each is added to the {@code feedback} dataset with its own label.
 */
@RestController
class NumberFeedbackController {

    private final NumberReadings readings;
    private final DatasetRepository store;
    private final InferenceProperties limits;

    NumberFeedbackController(NumberReadings readings, DatasetRepository store, InferenceProperties limits) {
        this.readings = readings;
        this.store = store;
        this.limits = limits;
    }

    record Accepted(String label, int digits, int feedbackSize) {
    }

    @Operation(hidden = true)
    @PostMapping(path = "/feedback", params = "mode=number", consumes = {MediaType.IMAGE_PNG_VALUE,
            MediaType.IMAGE_JPEG_VALUE, MediaType.IMAGE_GIF_VALUE, "image/bmp"})
    @ResponseStatus(HttpStatus.CREATED)
    Accepted image(HttpServletRequest request, @RequestParam String label) {
        return add(RequestBodies.read(request, limits.maxBodySize().toBytes()), label);
    }

    @Operation(hidden = true)
    @PostMapping(path = "/feedback", params = "mode=number", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Accepted file(@RequestParam MultipartFile file, @RequestParam String label) throws IOException {
        return add(RequestBodies.read(file, limits.maxBodySize().toBytes(), "file '" + file.getOriginalFilename() + "'"),
                label);
    }

    /** {@code {"image": "<base64>", "label": "4071"}}; the label may also be a query parameter. */
    @Operation(hidden = true)
    @PostMapping(path = "/feedback", params = "mode=number", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Accepted json(HttpServletRequest request, @RequestParam(required = false) String label) {
        JsonNode body = JsonImages.read(RequestBodies.read(request, limits.maxBodySize().toBytes()));
        if (label == null) {
            JsonNode field = body.get("label");
            if (field == null || !(field.isString() || field.isIntegralNumber())) {
                throw new InvalidInputException("\"label\" must be the number the image shows, e.g. \"4071\"");
            }
            label = field.asString();
        }
        return add(JsonImages.imageBytes(body), label);
    }

    private Accepted add(byte[] upload, String label) {
        int[] digits = digits(label);
        NumberReadings.Reading reading;
        try {
            reading = readings.readAs(upload, digits);
        } catch (NumberTooLongException e) {
            throw new PayloadTooLargeException(e.getMessage());
        }
        if (reading == null) {
            throw new InvalidInputException("the image cannot be cut into the " + digits.length + " digits of \""
                    + label + "\"; nothing was stored");
        }
        byte[] pixels = new byte[digits.length * LabelledImages.PIXELS];
        byte[] labels = new byte[digits.length];
        for (int i = 0; i < digits.length; i++) {
            LabelledImages.putUnit(reading.digits().get(i).unit(), pixels, i * LabelledImages.PIXELS);
            labels[i] = (byte) digits[i];
        }
        // All the digits of the number or none of them: half a number's digits would be a misleading sample.
        return new Accepted(label, digits.length, store.addFeedback(new LabelledImages(pixels, labels)));
    }

    /** A label is the digits the image shows, leading zeros included: 1 to 32 of 0–9. */
    private static int[] digits(String label) {
        if (label == null || !label.matches("[0-9]{1," + NumberReadings.MAX_DIGITS + "}")) {
            throw new InvalidInputException("label must be the number the image shows: 1 to " + NumberReadings.MAX_DIGITS
                    + " digits 0-9, e.g. 4071");
        }
        return label.chars().map(c -> c - '0').toArray();
    }
}
