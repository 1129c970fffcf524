package dev.digits.inference.v2;

import java.nio.ByteBuffer;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * An inference request as it came: tensors are not interpreted yet.
 *
 * @param id echoed in the response; null when the request has none
 * @param outputs the outputs asked for, in order; empty means all of them
 * @param binaryOutputs the request's {@code binary_data_output}: outputs that do not say are binary
 */
record InferenceRequest(String id, List<Input> inputs, List<Output> outputs, boolean binaryOutputs) {

    /**
     * One input tensor, with its data either as JSON or as binary (a view of the request body).
     *
     * @param data the JSON {@code data}, flat or nested; null when binary
     * @param binary the tensor's {@code binary_data_size} bytes; null when JSON
     */
    record Input(String name, Datatype datatype, long[] shape, JsonNode data, ByteBuffer binary) {

        /** The product of the shape; -1 past {@link Integer#MAX_VALUE}, which no request here can hold. */
        long elements() {
            long count = 1;
            for (long dimension : shape) {
                count *= dimension;
                if (count > Integer.MAX_VALUE) {
                    return -1;
                }
            }
            return count;
        }
    }

    /** @param binary the output's {@code binary_data}, or null when it does not say */
    record Output(String name, Boolean binary) {
    }
}
