package dev.digits.inference.v2;

import dev.digits.inference.Prediction;
import dev.digits.model.InputContract;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** The model's outputs for a batch of predictions, as flat row-major tensors. */
final class OutputTensors {

    private static final int CLASSES = InputContract.CLASSES;

    /** One output: FP32 values in {@code floats} or INT64 values in {@code longs}. */
    record Tensor(String name, Datatype datatype, long[] shape, float[] floats, long[] longs) {

        int byteSize() {
            return floats != null ? floats.length * Float.BYTES : longs.length * Long.BYTES;
        }

        /** Little-endian, without stride or padding, as the binary tensor data extension defines. */
        byte[] littleEndian() {
            ByteBuffer bytes = ByteBuffer.allocate(byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            if (floats != null) {
                bytes.asFloatBuffer().put(floats);
            } else {
                bytes.asLongBuffer().put(longs);
            }
            return bytes.array();
        }
    }

    private OutputTensors() {
    }

    static Tensor of(String name, List<Prediction> predictions) {
        int n = predictions.size();
        return switch (name) {
            case Signature.PROBABILITIES -> {
                float[] values = new float[n * CLASSES];
                for (int i = 0; i < n; i++) {
                    double[] probabilities = predictions.get(i).probabilities();
                    for (int c = 0; c < CLASSES; c++) {
                        values[i * CLASSES + c] = (float) probabilities[c];
                    }
                }
                yield new Tensor(name, Datatype.FP32, new long[] {n, CLASSES}, values, null);
            }
            case Signature.LOGITS -> {
                float[] values = new float[n * CLASSES];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(predictions.get(i).logits(), 0, values, i * CLASSES, CLASSES);
                }
                yield new Tensor(name, Datatype.FP32, new long[] {n, CLASSES}, values, null);
            }
            case Signature.DIGIT -> {
                long[] values = new long[n];
                for (int i = 0; i < n; i++) {
                    Integer digit = predictions.get(i).digit();
                    values[i] = digit == null ? -1 : digit; // the model abstains
                }
                yield new Tensor(name, Datatype.INT64, new long[] {n}, null, values);
            }
            default -> throw new IllegalArgumentException("not an output: " + name);
        };
    }
}
