package dev.digits.support;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parameter files (DJL's {@code model-0000.params}) rewritten the way an attacker would: small files
 * whose lengths and shapes declare gigabytes, truncated files, absurd counts in the header. Each is
 * built from a real file, so everything else in it is valid.
 */
public final class HostileModels {

    private HostileModels() {
    }

    /** The bundled model's parameter file and metadata. */
    public static byte[] bundledParameters() {
        return resource("/bundled-model/model-0000.params");
    }

    public static byte[] bundledMetadata() {
        return resource("/bundled-model/model.json");
    }

    /** The cases of the outside battery and variations of them, by name. */
    public static Map<String, byte[]> cases(byte[] parameters) {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("a tensor declared as 2^31-1 bytes", declaredLength(parameters, Integer.MAX_VALUE, 1 << 20));
        cases.put("a huge shape with a matching length", hugeShapeWithMatchingLength(parameters));
        cases.put("truncated to 400 bytes", Arrays.copyOf(parameters, 400));
        cases.put("truncated to 800,000 bytes", Arrays.copyOf(parameters, 800_000));
        cases.put("a shape of rank 2^31-16", hugeRank(parameters));
        cases.put("2^31-1 properties in the header", hugePropertyCount(parameters));
        cases.put("a negative tensor length", declaredLength(parameters, -8, parameters.length));
        cases.put("a trailing gigabyte declared in the last tensor, the file of the right size",
                lastLengthDeclaredHuge(parameters));
        cases.put("one byte appended", Arrays.copyOf(parameters, parameters.length + 1));
        return cases;
    }

    /** The first tensor's length field set to {@code length}, and the file cut {@code keep} bytes after it. */
    public static byte[] declaredLength(byte[] parameters, int length, int keep) {
        Tensor first = Tensor.first(parameters);
        byte[] copy = Arrays.copyOf(parameters, Math.min(parameters.length, first.lengthAt + 4 + keep));
        ByteBuffer.wrap(copy).putInt(first.lengthAt, length);
        return copy;
    }

    /**
     * The first tensor re-declared as one dimension of 536,870,911 floats with the matching length
     * (2,147,483,644 bytes), followed by a megabyte of data.
     */
    public static byte[] hugeShapeWithMatchingLength(byte[] parameters) {
        Tensor first = Tensor.first(parameters);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(parameters, 0, first.shapeAt);
            long elements = 536_870_911L;
            out.writeInt(1);
            out.writeLong(elements);
            out.writeInt(1);
            out.writeChar('?');
            out.write('<');
            out.writeInt((int) (elements * 4));
            out.write(new byte[1 << 20]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The first tensor's shape declared with 2^31-16 dimensions: DJL would allocate 16 GB of longs. */
    public static byte[] hugeRank(byte[] parameters) {
        Tensor first = Tensor.first(parameters);
        byte[] copy = parameters.clone();
        ByteBuffer.wrap(copy).putInt(first.shapeAt, Integer.MAX_VALUE - 15);
        return copy;
    }

    /** The model header declaring 2^31-1 properties. */
    public static byte[] hugePropertyCount(byte[] parameters) {
        byte[] copy = parameters.clone();
        ByteBuffer.wrap(copy).putInt(propertyCountAt(parameters), Integer.MAX_VALUE);
        return copy;
    }

    /** The last tensor's length declared as 1 GB, with the file keeping its real size. */
    public static byte[] lastLengthDeclaredHuge(byte[] parameters) {
        Tensor last = Tensor.last(parameters);
        byte[] copy = parameters.clone();
        ByteBuffer.wrap(copy).putInt(last.lengthAt, 1 << 30);
        return copy;
    }

    /** A model archive (ZIP) with these parameters and metadata whose checksum matches them. */
    public static byte[] archive(byte[] metadata, byte[] parameters) {
        ObjectNode json = (ObjectNode) JsonMapper.builder().build().readTree(metadata);
        json.put("sha256", sha256(parameters));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("model.json", json.toString().getBytes(StandardCharsets.UTF_8));
        entries.put("model-0000.params", parameters);
        return Zips.of(entries);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int propertyCountAt(byte[] parameters) {
        ByteBuffer in = ByteBuffer.wrap(parameters);
        in.position(8); // "DJL@" and the format version
        skipUtf(in); // model name
        skipUtf(in); // data type
        int inputs = in.getInt();
        for (int i = 0; i < inputs; i++) {
            skipUtf(in);
            skipShape(in);
        }
        return in.position();
    }

    private static void skipUtf(ByteBuffer in) {
        int length = in.getShort() & 0xffff;
        in.position(in.position() + length);
    }

    private static void skipShape(ByteBuffer in) {
        int rank = in.getInt();
        in.position(in.position() + rank * 8);
        int layout = in.getInt();
        in.position(in.position() + layout * 2);
    }

    /** Where the fields of one encoded tensor ("NDAR") are in the file. */
    private record Tensor(int shapeAt, int lengthAt, int length) {

        private static final byte[] MAGIC = {0, 4, 'N', 'D', 'A', 'R'};

        static Tensor first(byte[] parameters) {
            return at(parameters, indexOf(parameters, 0));
        }

        static Tensor last(byte[] parameters) {
            int last = -1;
            for (int i = indexOf(parameters, 0); i >= 0; i = indexOf(parameters, i + 1)) {
                last = i;
            }
            return at(parameters, last);
        }

        private static Tensor at(byte[] parameters, int start) {
            ByteBuffer in = ByteBuffer.wrap(parameters);
            in.position(start + MAGIC.length);
            int version = in.getInt();
            if (version > 1 && in.get() == 1) {
                skipUtf(in);
            }
            skipUtf(in); // sparse format
            skipUtf(in); // data type
            int shapeAt = in.position();
            skipShape(in);
            if (version > 2) {
                in.get(); // byte order
            }
            int lengthAt = in.position();
            return new Tensor(shapeAt, lengthAt, in.getInt());
        }

        private static int indexOf(byte[] bytes, int from) {
            outer:
            for (int i = from; i + MAGIC.length <= bytes.length; i++) {
                for (int j = 0; j < MAGIC.length; j++) {
                    if (bytes[i + j] != MAGIC[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = HostileModels.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
