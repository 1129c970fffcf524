package dev.digits.inference;

import dev.digits.images.ImageDecoder;
import dev.digits.images.ImagePreprocessor;
import dev.digits.images.ImageTooLargeException;
import dev.digits.images.MnistInput;
import dev.digits.web.PayloadTooLargeException;
import dev.digits.web.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;

/**
 * Turns what clients send (image files, JSON pixels or base64 images) into MNIST-like unit images,
 * the same way for {@code /predict}, {@code /feedback} and uploaded datasets. It is the one place
 * where the limits on images are enforced: {@code max-body-size} on the bytes of a request, whatever
 * their form (a raw body, multipart parts, JSON), before they are read; {@code max-image-pixels} on
 * every image, from its header, before it is decoded; {@code max-images-per-request}.
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

    /** An image sent as the whole request body ({@code image/png} and the like). */
    public float[] fromBody(HttpServletRequest request) {
        return readBody(request).unit();
    }

    /** The same, with what was found in the image (no ink at all, say). */
    public MnistInput readBody(HttpServletRequest request) {
        return read(RequestBodies.read(request, properties.maxBodySize().toBytes()));
    }

    /**
     * Image files sent as multipart parts: at most {@code max-images-per-request} of them, together at
     * most {@code max-body-size}, each checked before its bytes are read.
     */
    public List<float[]> fromParts(List<MultipartFile> parts) {
        return readParts(parts).stream().map(MnistInput::unit).toList();
    }

    /** The same, with what was found in each image. */
    public List<MnistInput> readParts(List<MultipartFile> parts) {
        if (parts.size() > properties.maxImagesPerRequest()) {
            throw new PayloadTooLargeException(parts.size() + " files exceed the limit of "
                    + properties.maxImagesPerRequest() + " images per request");
        }
        long limit = properties.maxBodySize().toBytes();
        long total = 0;
        for (MultipartFile part : parts) {
            total += part.getSize();
            if (total > limit) {
                throw new PayloadTooLargeException("the files exceed the limit of " + limit + " bytes per request");
            }
        }
        List<MnistInput> images = new ArrayList<>(parts.size());
        for (MultipartFile part : parts) {
            try {
                images.add(read(RequestBodies.read(part, limit, "file '" + part.getOriginalFilename() + "'")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return images;
    }

    /** One image file sent as a multipart part. */
    public float[] fromPart(MultipartFile part) {
        return fromParts(List.of(part)).get(0);
    }

    /** A JSON request body, read within {@code max-body-size} and the parser's limits. */
    public JsonNode readJson(HttpServletRequest request) {
        return JsonImages.read(RequestBodies.read(request, properties.maxBodySize().toBytes()));
    }

    /** The JSON forms of {@code /predict} in a request body; see {@link JsonImages}. */
    public JsonImages.Parsed fromJson(HttpServletRequest request) {
        return fromJson(RequestBodies.read(request, properties.maxBodySize().toBytes()));
    }

    /** PNG, JPEG, GIF or BMP bytes → the picture, within the same pixel limit, for readers of whole images. */
    public ImageDecoder.Decoded decode(byte[] bytes) {
        return decoder.decodeScaled(bytes);
    }

    /** The JSON forms of {@code /predict}; see {@link JsonImages}. */
    public JsonImages.Parsed fromJson(byte[] body) {
        return JsonImages.parse(body, properties.maxImagesPerRequest(), this::read);
    }

    /** For callers that also read other fields of the same body. */
    public JsonImages.Parsed fromJson(JsonNode root) {
        return JsonImages.parse(root, properties.maxImagesPerRequest(), this::read);
    }

    /**
     * PNG, JPEG, GIF or BMP bytes → 784 values in [0, 1], bright ink on black, centred like MNIST.
     * The caller has limited the number of bytes (the request, or an archive entry).
     */
    public float[] fromImage(byte[] bytes) {
        return read(bytes).unit();
    }

    /** The same, with what was found in the image. */
    public MnistInput read(byte[] bytes) {
        return preprocessor.preprocess(decoder.decode(bytes));
    }

    /** An image already in memory (an IDX upload), within the same pixel limit as an image file. */
    public float[] fromDecoded(BufferedImage image) {
        checkPixels(image.getWidth(), image.getHeight());
        return preprocessor.toMnist(image);
    }

    /** Refuses an image of {@code width × height} before it is allocated, as the decoder does for files. */
    public void checkPixels(int width, int height) {
        if ((long) width * height > properties.maxImagePixels()) {
            throw new ImageTooLargeException(width, height, properties.maxImagePixels());
        }
    }
}
