package dev.digits.inference;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How {@code /predict} batches and what it accepts.
 *
 * @param batching false runs each request on its own thread, for comparison
 * @param maxBatchSize the most images one forward pass takes
 * @param maxBatchDelay how long a worker waits for more requests, counted from the arrival of the
 *                      oldest one waiting
 * @param queueCapacity images waiting at most; beyond that requests get 503 with Retry-After
 * @param workers inference threads, each with its own DJL predictor
 * @param workerThreads PyTorch intra-op threads of each inference worker; workers × worker-threads
 *                      should not exceed the cores, or the workers' thread teams wait on each other
 * @param precision the number format of the forward pass. Only {@code fp32} runs: {@code bf16} is
 *                  refused at start (see {@link Precision#BF16}), so that asking for it never passes
 *                  silently
 * @param timeout the longest a request waits for its result
 * @param maxImagesPerRequest images in one request (multipart parts or JSON instances)
 * @param maxBodySize request body size, checked before it is read
 * @param maxImagePixels width × height declared in an image header, checked before decoding
 * @param explainSteps integrated-gradients steps of an explanation: more is closer to the exact
 *                     integral and costs proportionally more (one forward and backward pass over
 *                     steps × images)
 * @param explainThreads threads that compute explanations, apart from the inference workers: at
 *                       most this many explanations run at a time
 * @param explainQueueCapacity explanation requests waiting at most; beyond that 503 with Retry-After
 */
@Validated
@ConfigurationProperties("digits.inference")
public record InferenceProperties(
        @DefaultValue("true") boolean batching,
        @DefaultValue("64") int maxBatchSize,
        @DefaultValue("2ms") Duration maxBatchDelay,
        @DefaultValue("1024") int queueCapacity,
        @DefaultValue("2") int workers,
        @DefaultValue("1") @Min(1) @Max(256) int workerThreads,
        @DefaultValue("fp32") Precision precision,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("64") int maxImagesPerRequest,
        @DefaultValue("10MB") DataSize maxBodySize,
        @DefaultValue("25000000") long maxImagePixels,
        @DefaultValue("16") @Min(1) @Max(256) int explainSteps,
        @DefaultValue("1") @Min(1) @Max(64) int explainThreads,
        @DefaultValue("16") @Min(1) int explainQueueCapacity) {

    public InferenceProperties {
        if (precision == Precision.BF16) {
            throw new IllegalArgumentException("digits.inference.precision=bf16 is not available: " + Precision.WHY_NOT_BF16);
        }
    }

    /** The number format of the forward pass. */
    public enum Precision {
        /** 32-bit floats, as the networks were trained. */
        FP32,
        /**
         * bfloat16. Refused: DJL 0.36's PyTorch engine maps no bfloat16 tensor type (casting to one, or
         * creating one, ends the process in its native code), and this service's CPUs need AVX-512 BF16
         * or AMX for oneDNN to compute in it; docs/benchmarks.md has the measurements.
         */
        BF16;

        static final String WHY_NOT_BF16 = "the PyTorch engine of DJL 0.36 has no bfloat16 tensors (a cast to "
                + "bfloat16 aborts the process in native code); see docs/benchmarks.md, \"bfloat16\"";
    }
}
