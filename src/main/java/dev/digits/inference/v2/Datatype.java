package dev.digits.inference.v2;

/**
 * The protocol's tensor element types and their sizes in bytes; {@code BYTES} elements have no
 * fixed size (in binary form each is a 4-byte little-endian length and then its bytes). Names are
 * case-sensitive, as every string of the protocol.
 */
enum Datatype {
    BOOL(1), UINT8(1), UINT16(2), UINT32(4), UINT64(8), INT8(1), INT16(2), INT32(4), INT64(8),
    FP16(2), FP32(4), FP64(8), BYTES(-1);

    private final int size;

    Datatype(int size) {
        this.size = size;
    }

    /** Bytes per element; -1 for {@code BYTES}. */
    int size() {
        return size;
    }

    static Datatype parse(String name, String where) {
        for (Datatype type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        throw new InvalidInferenceRequestException(where + ".datatype '" + Texts.quoted(name)
                + "' is not a datatype of the protocol");
    }
}
