package dev.digits.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The largest body each endpoint accepts, in one table gathered from the {@link BodyLimit}s that the
 * features declare: images ({@code /predict}, {@code /feedback}) {@code digits.inference.max-body-size},
 * dataset uploads {@code digits.datasets.max-upload-size}, model imports
 * {@code digits.registry.max-import-size}; and 1 MB for the JSON of everything else.
 * {@link RequestSizeFilter} refuses a larger declared body before anything reads it, whatever its
 * content type; the servlet container's multipart limit is the largest of them, so that it never
 * refuses below an endpoint's own limit.
 */
@Component
public class RequestLimits {

    static final DataSize OTHER_REQUESTS = DataSize.ofMegabytes(1);
    /** Boundaries and part headers of a multipart body, on top of the bytes of its parts. */
    static final DataSize MULTIPART_OVERHEAD = DataSize.ofKilobytes(64);

    /** Bytes by path. */
    private final Map<String, Long> limits = new HashMap<>();

    RequestLimits(ObjectProvider<BodyLimit> declared) {
        for (BodyLimit limit : declared) {
            for (String path : limit.paths()) {
                if (limits.put(path, limit.maxSize().toBytes()) != null) {
                    throw new IllegalStateException("two body limits for " + path);
                }
            }
        }
    }

    /** The most bytes a request to this endpoint may carry in its body. */
    long maxBody(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        long limit = limits.getOrDefault(path, OTHER_REQUESTS.toBytes());
        return isMultipart(request) ? limit + MULTIPART_OVERHEAD.toBytes() : limit;
    }

    static boolean isMultipart(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.regionMatches(true, 0, "multipart/", 0, 10);
    }

    /** The largest body any endpoint accepts, multipart overhead included. */
    public long largest() {
        return Math.max(OTHER_REQUESTS.toBytes(), limits.values().stream().mapToLong(Long::longValue).max().orElse(0))
                + MULTIPART_OVERHEAD.toBytes();
    }
}
