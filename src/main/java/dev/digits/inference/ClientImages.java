package dev.digits.inference;

import dev.digits.images.ImageDecoder;
import dev.digits.images.ImagePreprocessor;
import dev.digits.images.MnistInput;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Turns what clients send (image files, JSON pixels or base64 images) into MNIST-like unit images,
 * the same way for {@code /predict}, {@code /feedback} and uploaded datasets.
 */
@Component
public class ClientImages {

    private final ImageDecoder decoder;
    private final ImagePreprocessor preprocessor = new ImagePreprocessor();
    private final InferenceProperties properties;

    public ClientImages(InferenceProperties properties) {
        this.properties = properties;
        this.decoder = new ImageDecoder(properties.maxImagePixels());
    }

    /** PNG, JPEG, GIF or BMP bytes → 784 values in [0, 1], bright ink on black, centred like MNIST. */
    public float[] fromImage(byte[] bytes) {
        return read(bytes).unit();
    }

    /** The same, with what was found in the image (no ink at all, say). */
    public MnistInput read(byte[] bytes) {
        return preprocessor.preprocess(decoder.decode(bytes));
    }

    /** The JSON forms of {@code /predict}; see {@link JsonImages}. */
    public JsonImages.Parsed fromJson(byte[] body) {
        return fromJson(JsonImages.read(body));
    }

    /** For callers that also read other fields of the same body. */
    public JsonImages.Parsed fromJson(JsonNode root) {
        return JsonImages.parse(root, properties.maxImagesPerRequest(), this::read);
    }
}
