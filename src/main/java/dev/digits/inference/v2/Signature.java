package dev.digits.inference.v2;

import dev.digits.model.InputContract;
import java.util.List;

/**
 * What the model takes and gives on the wire, as its metadata describes it. A request sends exactly
 * one of the inputs (they are three ways to send the same images); a response has every output, or
 * the ones the request names.
 */
final class Signature {

    static final String MODEL = "digits";
    /** {@code <project>_<format>}: PyTorch (libtorch through DJL) running DJL-format parameters. */
    static final String PLATFORM = "pytorch_djl";

    /** UINT8 [N,28,28] or [N,1,28,28]: raw pixels 0–255, MNIST polarity (bright ink on black). */
    static final String PIXELS = "pixels";
    /** FP32 in [0, 1], the same shapes and polarity. */
    static final String PIXELS_FP32 = "pixels_fp32";
    /** BYTES [N]: encoded image files (PNG, JPEG, GIF, BMP), preprocessed as {@code /predict} does. */
    static final String IMAGE = "image";

    /** FP32 [N,10]: calibrated probabilities, index = digit. */
    static final String PROBABILITIES = "probabilities";
    /** INT64 [N]: the answer, -1 where the model abstains. */
    static final String DIGIT = "digit";
    /** FP32 [N,10]: the network's raw outputs. */
    static final String LOGITS = "logits";

    /** A tensor as model metadata describes it; -1 is a variable dimension (the batch). */
    record TensorMetadata(String name, String datatype, long[] shape) {
    }

    private static final long SIZE = InputContract.SIZE;
    private static final long CLASSES = InputContract.CLASSES;

    static final List<TensorMetadata> INPUTS = List.of(
            new TensorMetadata(PIXELS, Datatype.UINT8.name(), new long[] {-1, SIZE, SIZE}),
            new TensorMetadata(PIXELS_FP32, Datatype.FP32.name(), new long[] {-1, SIZE, SIZE}),
            new TensorMetadata(IMAGE, Datatype.BYTES.name(), new long[] {-1}));

    static final List<TensorMetadata> OUTPUTS = List.of(
            new TensorMetadata(PROBABILITIES, Datatype.FP32.name(), new long[] {-1, CLASSES}),
            new TensorMetadata(DIGIT, Datatype.INT64.name(), new long[] {-1}),
            new TensorMetadata(LOGITS, Datatype.FP32.name(), new long[] {-1, CLASSES}));

    private Signature() {
    }

    /** The datatype an input must have, or null for a name that is not an input. */
    static Datatype inputDatatype(String name) {
        return datatype(INPUTS, name);
    }

    static boolean isOutput(String name) {
        return datatype(OUTPUTS, name) != null;
    }

    static String names(List<TensorMetadata> tensors) {
        return String.join(", ", tensors.stream().map(t -> t.name() + " (" + t.datatype() + ")").toList());
    }

    private static Datatype datatype(List<TensorMetadata> tensors, String name) {
        for (TensorMetadata tensor : tensors) {
            if (tensor.name().equals(name)) {
                return Datatype.valueOf(tensor.datatype());
            }
        }
        return null;
    }
}
