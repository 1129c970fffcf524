package dev.digits.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST container format), raw or gzip-compressed. Only the unsigned-byte
 * element type is accepted because that is all MNIST and our uploads use; everything in the header
 * is checked against the bytes that follow so that a truncated or mismatched file fails loudly.
 */
public final class IdxReader {

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int MAX_DIMENSIONS = 4;
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private IdxReader() {
    }

    public static IdxData read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.getFileName().toString(), in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * @param name used in error messages only
     * @param in raw or gzip IDX bytes; the caller closes it
     */
    public static IdxData read(String name, InputStream in) {
        return read(name, in, MAX_VALUES);
    }

    /**
     * @param maxValues the most values the file may hold (uncompressed bytes): an upload's limit,
     *                  checked against the header before anything is read
     */
    public static IdxData read(String name, InputStream in, long maxValues) {
        try {
            DataInputStream data = new DataInputStream(decompressIfGzip(name, in));
            int[] dimensions = readHeader(name, data);
            long total = 1;
            for (int d : dimensions) {
                total = Math.multiplyExact(total, d);
                if (total > Math.min(maxValues, MAX_VALUES)) {
                    throw new IdxFormatException(name, "declares more than the limit of " + Math.min(maxValues, MAX_VALUES)
                            + " values");
                }
            }
            // Read as the bytes come rather than allocated from the header: a truncated file that declares
            // a large size costs only the bytes it really has.
            byte[] values = data.readNBytes((int) total);
            int read = values.length;
            if (read < total) {
                throw new IdxFormatException(name, "truncated: header declares " + total + " values but only " + read
                        + " follow");
            }
            if (data.read() != -1) {
                throw new IdxFormatException(name, "has trailing bytes after the " + total + " declared values");
            }
            return new IdxData(dimensions, values);
        } catch (EOFException e) {
            throw new IdxFormatException(name, "truncated inside the header", e);
        } catch (IOException e) {
            throw new IdxFormatException(name, "unreadable (" + e.getMessage() + ")", e);
        }
    }

    private static InputStream decompressIfGzip(String name, InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
        }
        return buffered;
    }

    private static int[] readHeader(String name, DataInputStream data) throws IOException {
        int zero1 = data.readUnsignedByte();
        int zero2 = data.readUnsignedByte();
        int type = data.readUnsignedByte();
        int rank = data.readUnsignedByte();
        if (zero1 != 0 || zero2 != 0) {
            throw new IdxFormatException(name, "bad magic number: not an IDX file");
        }
        if (type != UNSIGNED_BYTE) {
            throw new IdxFormatException(name, String.format("unsupported element type 0x%02x (only unsigned byte 0x08)", type));
        }
        if (rank < 1 || rank > MAX_DIMENSIONS) {
            throw new IdxFormatException(name, "unsupported number of dimensions " + rank);
        }
        int[] dimensions = new int[rank];
        for (int i = 0; i < rank; i++) {
            dimensions[i] = data.readInt();
            if (dimensions[i] <= 0) {
                throw new IdxFormatException(name, "dimension " + i + " is " + dimensions[i]);
            }
        }
        return dimensions;
    }
}
