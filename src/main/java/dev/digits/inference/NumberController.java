package dev.digits.inference;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.digits.images.Box;
import dev.digits.images.NumberTooLongException;
import dev.digits.web.PayloadTooLargeException;
import dev.digits.web.RequestBodies;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /predict?mode=number}: one image of a row of handwritten digits (an image body, one
 * multipart {@code file}, or JSON {@code {"image": "<base64>"}}), read left to right.
 */
@RestController
class NumberController {

    private final NumberReadings readings;
    private final Answers answers;
    private final InferenceProperties properties;

    NumberController(NumberReadings readings, Answers answers, InferenceProperties properties) {
        this.readings = readings;
        this.answers = answers;
        this.properties = properties;
    }

    /**
     * The answer: {@code number} and {@code confidence} are null when the reading abstains, and
     * {@code reason} then says why.
     */
    record NumberAnswer(String number, Double confidence, String modelVersion,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Abstention reason, List<DigitAnswer> digits) {
    }

    /** One digit: null with a {@code reason} when it is not a digit. */
    record DigitAnswer(Integer digit, double confidence, Box box,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Abstention reason) {
    }

    @Operation(hidden = true)
    @PostMapping(path = "/predict", params = "mode=number", consumes = {MediaType.IMAGE_PNG_VALUE,
            MediaType.IMAGE_JPEG_VALUE, MediaType.IMAGE_GIF_VALUE, PredictController.IMAGE_BMP})
    NumberAnswer image(HttpServletRequest request, @RequestParam(required = false) String model) {
        return answer(request, RequestBodies.read(request, properties.maxBodySize().toBytes()), model);
    }

    @Operation(hidden = true)
    @PostMapping(path = "/predict", params = "mode=number", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    NumberAnswer file(HttpServletRequest request, @RequestParam("file") List<MultipartFile> files,
                      @RequestParam(required = false) String model) throws IOException {
        if (files.size() != 1) {
            throw new InvalidInputException("mode=number reads one image: send one \"file\" part, not " + files.size());
        }
        byte[] upload = RequestBodies.read(files.get(0), properties.maxBodySize().toBytes(),
                "file '" + files.get(0).getOriginalFilename() + "'");
        return answer(request, upload, model);
    }

    @Operation(hidden = true)
    @PostMapping(path = "/predict", params = "mode=number", consumes = MediaType.APPLICATION_JSON_VALUE)
    NumberAnswer json(HttpServletRequest request, @RequestParam(required = false) String model) {
        byte[] body = RequestBodies.read(request, properties.maxBodySize().toBytes());
        return answer(request, JsonImages.imageBytes(JsonImages.read(body)), model);
    }

    private NumberAnswer answer(HttpServletRequest request, byte[] upload, String model) {
        NumberReadings.Reading reading;
        try {
            reading = readings.read(upload, model);
        } catch (NumberTooLongException e) {
            throw new PayloadTooLargeException(e.getMessage());
        }
        PredictMetricsFilter.answeredBy(request, reading.modelVersion());
        NumberAnswer answer = answer(reading);
        if (answer.reason() != null) {
            answers.countAbstention(answer.reason());
        }
        return answer;
    }

    static NumberAnswer answer(NumberReadings.Reading reading) {
        if (reading.digits().isEmpty()) {
            return new NumberAnswer(null, null, reading.modelVersion(), Abstention.NO_INK, List.of());
        }
        StringBuilder number = new StringBuilder();
        double confidence = 1;
        Abstention reason = null;
        List<DigitAnswer> digits = new ArrayList<>(reading.digits().size());
        for (NumberReadings.Digit d : reading.digits()) {
            Prediction p = d.prediction();
            confidence *= p.confidence();
            if (p.digit() == null || p.reason() != null) {
                reason = reason != null ? reason : p.reason() != null ? p.reason() : Abstention.NOT_A_DIGIT;
            } else {
                number.append(p.digit());
            }
            digits.add(new DigitAnswer(p.digit(), p.confidence(), d.box(), p.reason()));
        }
        return reason == null ? new NumberAnswer(number.toString(), confidence, reading.modelVersion(), null, digits)
                : new NumberAnswer(null, null, reading.modelVersion(), reason, digits);
    }
}
