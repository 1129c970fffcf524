package dev.digits.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refuses a request whose declared body is larger than its endpoint accepts ({@link RequestLimits})
 * with 413, before anything reads it: in particular before the servlet container parses a multipart
 * body, which it does before any controller runs. Bodies without a declared length are counted as
 * they are read, by {@link RequestBodies} and by the checks on multipart parts.
 */
class RequestSizeFilter extends OncePerRequestFilter {

    private final RequestLimits limits;
    private final HandlerExceptionResolver errors;
    private final ObjectProvider<ProtocolErrors> protocols;

    RequestSizeFilter(RequestLimits limits, HandlerExceptionResolver errors, ObjectProvider<ProtocolErrors> protocols) {
        this.limits = limits;
        this.errors = errors;
        this.protocols = protocols;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        long limit = limits.maxBody(request);
        if (declared > limit) {
            PayloadTooLargeException tooLarge = new PayloadTooLargeException("request body of " + declared
                    + " bytes exceeds the limit of " + limit + " bytes for " + request.getRequestURI());
            for (ProtocolErrors protocol : protocols) {
                if (protocol.covers(request)) {
                    protocol.write(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, tooLarge.getMessage());
                    return;
                }
            }
            // Rendered by the same advice as every other error, so the 413 looks like the others.
            errors.resolveException(request, response, null, tooLarge);
            return;
        }
        if (declared < 0 && request.getContentType() != null && !RequestLimits.isMultipart(request)) {
            chain.doFilter(new CountedBody(request, limit), response);
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * A body without a declared length (chunked), counted as it is read by whoever reads it (a JSON
     * converter, {@link RequestBodies}). A multipart body is read by the servlet container itself,
     * past any wrapper: its parts are checked where they are used.
     */
    private static final class CountedBody extends HttpServletRequestWrapper {

        private final long limit;

        CountedBody(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
                private long count;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0) {
                        counted(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = in.read(buffer, offset, length);
                    if (n > 0) {
                        counted(n);
                    }
                    return n;
                }

                private void counted(int n) {
                    count += n;
                    if (count > limit) {
                        throw new PayloadTooLargeException("request body exceeds the limit of " + limit + " bytes");
                    }
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
