package dev.digits.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bytes DJL writes for one architecture's parameter file, to check a file against before DJL
 * reads it. DJL allocates whatever a file declares (a tensor of 2³¹−1 bytes, a shape of any size)
 * before it finds that the bytes are not there, so a small hostile file could make the process
 * allocate gigabytes. Here every length, shape, name and flag of the file must equal those of the
 * architecture, and the file must have exactly the architecture's size, which is checked while
 * streaming through it with a fixed buffer: nothing the file declares is allocated.
 *
 * <p>The layout is derived from DJL itself: the architecture's parameters are serialized three
 * times (all values 0; all values 1.1; a different batch size in the recorded input shapes). Bytes
 * equal in all three are structure; bytes that differ are parameter values or batch sizes, which
 * may hold anything (batch sizes within bounds).
 */
public final class ParameterLayout {

    private static final Map<String, ParameterLayout> LAYOUTS = new ConcurrentHashMap<>();
    private static final int MODEL_FORMAT_VERSION = 1;
    private static final long MAX_BATCH = 1 << 20;
    private static final int MAX_HEADER_ENTRIES = 64;
    private static final int MAX_RANK = 8;

    private final String architecture;
    /** The parameter part of a file (after the model header): every byte that is not free must be equal. */
    private final byte[] expected;
    private final BitSet values;
    /** First byte of each recorded batch size (a big-endian long). */
    private final BitSet batchSizes;
    private final List<String> parameterNames;
    private final int[] parameterValueStarts;

    private ParameterLayout(String architecture, byte[] expected, BitSet values, BitSet batchSizes,
                            List<String> parameterNames, int[] parameterValueStarts) {
        this.architecture = architecture;
        this.expected = expected;
        this.values = values;
        this.batchSizes = batchSizes;
        this.parameterNames = parameterNames;
        this.parameterValueStarts = parameterValueStarts;
    }

    /** The layout of a named architecture, derived once per process. */
    public static ParameterLayout of(String architecture) {
        return LAYOUTS.computeIfAbsent(architecture, ParameterLayout::derive);
    }

    /** The size in bytes of the parameter part of a file of this architecture. */
    public int parameterBytes() {
        return expected.length;
    }

    /**
     * @throws ModelFormatException if the file is not a parameter file of this architecture; the
     *         message names the file by its name only
     */
    public void check(Path file) throws IOException {
        long size = Files.size(file);
        try (CountingInput counting = new CountingInput(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
             DataInputStream in = new DataInputStream(counting)) {
            readHeader(in);
            long parameterPart = size - counting.count;
            if (parameterPart != expected.length) {
                throw new ModelFormatException("the parameter file holds " + parameterPart + " bytes of parameters; "
                        + "architecture '" + architecture + "' has " + expected.length);
            }
            compare(in);
        } catch (EOFException e) {
            throw new ModelFormatException("the parameter file ends inside its header");
        }
    }

    private void readHeader(DataInputStream in) throws IOException {
        byte[] magic = new byte[4];
        in.readFully(magic);
        if (magic[0] != 'D' || magic[1] != 'J' || magic[2] != 'L' || magic[3] != '@') {
            throw new ModelFormatException("the parameter file is not in DJL's format");
        }
        int version = in.readInt();
        if (version != MODEL_FORMAT_VERSION) {
            throw new ModelFormatException("the parameter file has format version " + version + "; expected "
                    + MODEL_FORMAT_VERSION);
        }
        in.readUTF(); // the model's name: a length-prefixed string, at most 64 KB
        String dataType = in.readUTF();
        if (!DataType.FLOAT32.name().equals(dataType)) {
            throw new ModelFormatException("the parameter file's data type is not " + DataType.FLOAT32.name());
        }
        int inputs = boundedCount(in.readInt(), "inputs");
        for (int i = 0; i < inputs; i++) {
            in.readUTF();
            skipShape(in);
        }
        int properties = boundedCount(in.readInt(), "properties");
        for (int i = 0; i < properties; i++) {
            in.readUTF();
            in.readUTF();
        }
    }

    private static void skipShape(DataInputStream in) throws IOException {
        int rank = in.readInt();
        if (rank < 0 || rank > MAX_RANK) {
            throw new ModelFormatException("the parameter file's header declares an input of rank " + rank);
        }
        for (int i = 0; i < rank; i++) {
            in.readLong();
        }
        int layout = in.readInt();
        if (layout < 0 || layout > MAX_RANK) {
            throw new ModelFormatException("the parameter file's header declares an input layout of " + layout
                    + " letters");
        }
        for (int i = 0; i < layout; i++) {
            in.readChar();
        }
    }

    private static int boundedCount(int count, String what) {
        if (count < 0 || count > MAX_HEADER_ENTRIES) {
            throw new ModelFormatException("the parameter file's header declares " + count + " " + what);
        }
        return count;
    }

    private void compare(InputStream in) throws IOException {
        // As long as the architecture's own parameters: the file's size was checked to be exactly that.
        byte[] actual = in.readNBytes(expected.length);
        if (actual.length != expected.length) {
            throw new ModelFormatException("the parameter file is shorter than it was when it was measured");
        }
        for (int at = 0; at < expected.length; at++) {
            if (actual[at] != expected[at] && !values.get(at) && !isInBatchSize(at)) {
                throw new ModelFormatException("the parameter file does not match architecture '" + architecture
                        + "' at byte " + at + " of its parameters, " + where(at)
                        + " (a name, shape, length or flag differs)");
            }
        }
        // A batch size is only recorded (input shapes seen in training), but it must still be a sane one.
        for (int at = batchSizes.nextSetBit(0); at >= 0; at = batchSizes.nextSetBit(at + 1)) {
            long batch = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                batch = (batch << 8) | (actual[at + i] & 0xff);
            }
            if (batch < 1 || batch > MAX_BATCH) {
                throw new ModelFormatException("the parameter file records a batch size of " + batch + ", "
                        + where(at));
            }
        }
    }

    private boolean isInBatchSize(int at) {
        int start = batchSizes.previousSetBit(at);
        return start >= 0 && at < start + Long.BYTES;
    }

    private String where(int at) {
        for (int i = 0; i < parameterValueStarts.length; i++) {
            if (at < parameterValueStarts[i]) {
                return "before the values of parameter " + parameterNames.get(i);
            }
        }
        return "after the last parameter";
    }

    private static ParameterLayout derive(String architecture) {
        byte[] zeros = serialize(architecture, 1, 0f);
        byte[] others = serialize(architecture, 1, 1.1f);
        byte[] batchOfTwo = serialize(architecture, 2, 0f);
        if (zeros.length != others.length || zeros.length != batchOfTwo.length) {
            throw new IllegalStateException("DJL's parameter layout of '" + architecture
                    + "' depends on the parameter values");
        }
        BitSet values = new BitSet(zeros.length);
        BitSet batchSizes = new BitSet(zeros.length);
        for (int i = 0; i < zeros.length; i++) {
            if (zeros[i] != others[i]) {
                values.set(i);
            }
            if (zeros[i] != batchOfTwo[i]) {
                // The low byte of a big-endian long that was 1 and is 2: a recorded batch size.
                int start = i - 7;
                if (start < 0 || zeros[i] != 1 || batchOfTwo[i] != 2 || !allZero(zeros, start, i)) {
                    throw new IllegalStateException("unexpected batch-dependent byte " + i + " in the parameters of '"
                            + architecture + "'");
                }
                batchSizes.set(start);
            }
        }
        List<String> names = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        long valueBytes = 0;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Block block = Architectures.create(architecture);
            block.initialize(manager, DataType.FLOAT32, Architectures.inputShape(1));
            int run = values.nextSetBit(0);
            for (var pair : block.getParameters()) {
                Parameter parameter = pair.getValue();
                long bytes = parameter.getArray().size() * DataType.FLOAT32.getNumOfBytes();
                if (run < 0 || values.nextClearBit(run) - run != bytes) {
                    throw new IllegalStateException("cannot find the values of " + pair.getKey() + " in the parameters of '"
                            + architecture + "'");
                }
                names.add(pair.getKey());
                starts.add(run);
                valueBytes += bytes;
                run = values.nextSetBit(values.nextClearBit(run));
            }
        }
        if (valueBytes != values.cardinality()) {
            throw new IllegalStateException("the parameters of '" + architecture + "' hold more value bytes than expected");
        }
        return new ParameterLayout(architecture, zeros, values, batchSizes, List.copyOf(names),
                starts.stream().mapToInt(Integer::intValue).toArray());
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The parameter part of a file, as DJL's {@code Block.saveParameters} writes it. */
    private static byte[] serialize(String architecture, int batch, float value) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Block block = Architectures.create(architecture);
            block.setInitializer(new ConstantInitializer(value), parameter -> true);
            block.initialize(manager, DataType.FLOAT32, Architectures.inputShape(batch));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                block.saveParameters(out);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class CountingInput extends InputStream {

        private final InputStream in;
        private long count;

        CountingInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
