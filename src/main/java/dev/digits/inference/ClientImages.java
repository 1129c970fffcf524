package dev.digits.inference;

import org.springframework.stereotype.Component;

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

    /** The JSON forms of {@code /predict}; see {@link JsonImages}. */
    public JsonImages.Parsed fromJson(byte[] body) {
        return JsonImages.parse(body, properties.maxImagesPerRequest(), this::fromImage);
    }
}
