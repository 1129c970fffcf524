package dev.digits.inference;

import dev.digits.images.ImageDecoder;
import dev.digits.images.ImagePreprocessor;
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
        return preprocessor.toMnist(decoder.decode(bytes));
    }

    /** PNG, JPEG, GIF or BMP bytes → the picture, within the same pixel limit, for readers of whole images. */
    public ImageDecoder.Decoded decode(byte[] bytes) {
        return decoder.decodeScaled(bytes);
    }

    /** The JSON forms of {@code /predict}; see {@link JsonImages}. */
    public JsonImages.Parsed fromJson(byte[] body) {
        return fromJson(JsonImages.read(body));
    }

    /** For callers that also read other fields of the same body. */
    public JsonImages.Parsed fromJson(JsonNode root) {
        return JsonImages.parse(root, properties.maxImagesPerRequest(), this::fromImage);
    }
}
