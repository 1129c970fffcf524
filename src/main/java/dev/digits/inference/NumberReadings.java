package dev.digits.inference;

import dev.digits.images.Box;
import dev.digits.images.DigitClassifier;
import dev.digits.images.ImageDecoder;
import dev.digits.images.NumberReader;
import dev.digits.images.NumberReading;
import dev.digits.registry.ModelRegistry;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Reads rows of digits for {@code /predict?mode=number} and {@code /feedback?mode=number}. The
 * upload is decoded within the service's pixel limit; {@link NumberReader} cuts it into candidate
 * digits, and the version asked for classifies them all in one request to the
 * {@link BatchingPredictor}, so they share forward passes with other requests.
 */
@Component
public class NumberReadings {

    /** The longest number one image may hold. */
    public static final int MAX_DIGITS = 32;

    private final ClientImages images;
    private final BatchingPredictor predictor;
    private final ModelRegistry registry;
    private final NumberReader reader = new NumberReader(MAX_DIGITS);

    public NumberReadings(ClientImages images, BatchingPredictor predictor, ModelRegistry registry) {
        this.images = images;
        this.predictor = predictor;
        this.registry = registry;
    }

    /**
     * One digit of a reading.
     *
     * @param prediction the answer for it, with the model version and any abstention
     * @param box where it lies, in the pixels of the upload
     * @param unit the 28×28 image the model saw, values in [0, 1]
     */
    public record Digit(Prediction prediction, Box box, float[] unit) {
    }

    /** The digits left to right (none when the image holds no ink) and the version that read them. */
    public record Reading(List<Digit> digits, String modelVersion) {
    }

    /**
     * @param model a version or alias, or null for production
     * @throws dev.digits.images.NumberTooLongException over {@link #MAX_DIGITS} digits, or too wide an image
     */
    public Reading read(byte[] upload, String model) {
        // Resolved first: an unknown version is a 404 before any work, and a blank image still names its version.
        String version = registry.resolve(model == null ? ModelRegistry.PRODUCTION : model);
        ImageDecoder.Decoded decoded = images.decode(upload);
        NumberReading<Prediction> reading = reader.read(decoded.image(), classifier(model));
        return new Reading(digits(reading, decoded.scale()), reading.isEmpty() ? version
                : reading.digits().get(0).result().modelVersion());
    }

    /**
     * Reads the upload as the given number with the production version: its digits are cut where
     * they read best as those digits, for corrections.
     *
     * @return the reading, or null when the image cannot be cut into that many digits
     */
    public Reading readAs(byte[] upload, int[] digits) {
        ImageDecoder.Decoded decoded = images.decode(upload);
        NumberReading<Prediction> reading = reader.readAs(decoded.image(), classifier(null), digits);
        return reading == null ? null
                : new Reading(digits(reading, decoded.scale()), reading.digits().get(0).result().modelVersion());
    }

    private DigitClassifier<Prediction> classifier(String model) {
        return new DigitClassifier<>() {
            @Override
            public List<Prediction> classify(List<float[]> units) {
                return predictor.predict(units, model);
            }

            @Override
            public double[] probabilities(Prediction result) {
                return result.probabilities();
            }

            @Override
            public float[] logits(Prediction result) {
                return result.logits();
            }
        };
    }

    private static List<Digit> digits(NumberReading<Prediction> reading, int scale) {
        return reading.digits().stream()
                .map(d -> new Digit(d.result(), d.box().scaled(scale), d.unit()))
                .toList();
    }
}
