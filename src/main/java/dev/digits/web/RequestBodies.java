package dev.digits.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.springframework.web.multipart.MultipartFile;

/**
 * Reads request bodies, their parts and the entries of uploaded archives up to a limit, refusing
 * larger ones from their declared length when there is one.
 */
public final class RequestBodies {

    private RequestBodies() {
    }

    public static byte[] read(HttpServletRequest request, long maxBytes) {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw new PayloadTooLargeException("request body of " + declared + " bytes exceeds the limit of "
                    + maxBytes);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw new PayloadTooLargeException("request body exceeds the limit of " + maxBytes + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
    }

    /** A multipart part's bytes; {@code what} names it in the 413. */
    public static byte[] read(MultipartFile part, long maxBytes, String what) throws IOException {
        if (part.getSize() > maxBytes) {
            throw new PayloadTooLargeException(what + " exceeds the limit of " + maxBytes + " bytes");
        }
        return part.getBytes();
    }

    /**
     * Copies a stream whose size is not declared (an archive entry being unpacked), counting as it
     * goes, so that a bomb stops at the limit instead of filling memory or disk.
     *
     * @return the number of bytes copied
     */
    public static long copyLimited(InputStream in, OutputStream out, long remaining, String tooLarge)
            throws IOException {
        long copied = 0;
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            copied += n;
            if (copied > remaining) {
                throw new PayloadTooLargeException(tooLarge);
            }
            out.write(buffer, 0, n);
        }
        return copied;
    }
}
