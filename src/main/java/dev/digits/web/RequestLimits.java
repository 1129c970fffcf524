package dev.digits.web;

import dev.digits.datasets.DatasetProperties;
import dev.digits.inference.InferenceProperties;
import dev.digits.registry.RegistryProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.stream.LongStream;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The largest body each endpoint accepts, in one table: images ({@code /predict}, {@code /feedback})
 * {@code digits.inference.max-body-size}, dataset uploads {@code digits.datasets.max-upload-size},
 * model imports {@code digits.registry.max-import-size}, and 1 MB for the JSON of everything else.
 * {@link RequestSizeFilter} refuses a larger declared body before anything reads it, whatever its
 * content type; the servlet container's multipart limit is the largest of them, so that it never
 * refuses below an endpoint's own limit.
 */
@Component
public class RequestLimits {

    static final DataSize OTHER_REQUESTS = DataSize.ofMegabytes(1);
    /** Boundaries and part headers of a multipart body, on top of the bytes of its parts. */
    static final DataSize MULTIPART_OVERHEAD = DataSize.ofKilobytes(64);

    private final InferenceProperties images;
    private final DatasetProperties datasets;
    private final RegistryProperties models;

    RequestLimits(InferenceProperties images, DatasetProperties datasets, RegistryProperties models) {
        this.images = images;
        this.datasets = datasets;
        this.models = models;
    }

    /** The most bytes a request to this endpoint may carry in its body. */
    long maxBody(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        long limit;
        if (path.equals("/predict") || path.equals("/feedback")) {
            limit = images.maxBodySize().toBytes();
        } else if (path.equals("/datasets")) {
            limit = datasets.maxUploadSize().toBytes();
        } else if (path.equals("/models")) {
            limit = models.maxImportSize().toBytes();
        } else {
            limit = OTHER_REQUESTS.toBytes();
        }
        return isMultipart(request) ? limit + MULTIPART_OVERHEAD.toBytes() : limit;
    }

    static boolean isMultipart(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.regionMatches(true, 0, "multipart/", 0, 10);
    }

    /** The largest body any endpoint accepts, multipart overhead included. */
    public long largest() {
        return LongStream.of(images.maxBodySize().toBytes(), datasets.maxUploadSize().toBytes(),
                models.maxImportSize().toBytes(), OTHER_REQUESTS.toBytes()).max().orElseThrow()
                + MULTIPART_OVERHEAD.toBytes();
    }
}
