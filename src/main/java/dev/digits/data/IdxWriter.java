package dev.digits.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;

/** Writes labelled images as gzipped IDX files, the format {@link IdxReader} reads. */
public final class IdxWriter {

    private IdxWriter() {
    }

    public static byte[] gzipImages(LabelledImages images) {
        return gzip(idx(new int[] {images.size(), 28, 28}, images.pixels()));
    }

    public static byte[] gzipLabels(LabelledImages images) {
        return gzip(idx(new int[] {images.size()}, images.labels()));
    }

    /** An unsigned-byte IDX file: magic, dimensions, values. */
    public static byte[] idx(int[] dimensions, byte[] values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(values.length + 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(new byte[] {0, 0, 8, (byte) dimensions.length});
            for (int d : dimensions) {
                out.writeInt(d);
            }
            out.write(values);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    public static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }
}
