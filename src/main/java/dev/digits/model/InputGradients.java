package dev.digits.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;

/**
 * Gradients of a network's logits with respect to its input, for explanations.
 *
 * <p>This does not use DJL's {@code GradientCollector}: in DJL 0.36 {@code PtGradientCollector}
 * keeps a process-wide "already collecting" flag and throws when a second one opens, so an
 * explanation would fail while a training job holds one (or fail the job's step). What the
 * collector does besides is two calls, made here directly:
 * <ul>
 * <li>turn PyTorch's grad mode on, and back to what it was afterwards. Grad mode is thread-local in
 *     PyTorch ({@code c10::GradMode} lives in the autograd thread-local state), so this never reaches
 *     the inference workers, which keep it off;</li>
 * <li>run the backward pass.</li>
 * </ul>
 * Only the input asks for gradients. The parameters of a loaded model do not (DJL's loader decodes
 * them without {@code requires_grad}, and the registry freezes a served model's besides), so the
 * backward pass computes the input's gradient and nothing accumulates in the model between requests. Every array of the forward and backward pass,
 * the autograd graph's tensors included, lives in one scope that is closed before returning.
 */
public final class InputGradients {

    private InputGradients() {
    }

    /**
     * One forward pass in inference mode (dropout off, batch-norm statistics fixed) and one backward
     * pass, on the calling thread.
     *
     * @param model a loaded network mapping {@code [n, 1, 28, 28]} to {@code [n, 10]} logits
     * @param normalized {@code n} normalized images side by side ({@code n × 784} values)
     * @param targets per image, the class whose logit is differentiated
     * @return d logit[targets[i]] / d input[i] for every image, {@code n × 784} values
     */
    public static float[] of(Model model, float[] normalized, int[] targets) {
        int n = targets.length;
        if (normalized.length != n * InputContract.PIXELS) {
            throw new IllegalArgumentException(normalized.length + " input values for " + n + " images");
        }
        float[] oneHot = new float[n * InputContract.CLASSES];
        for (int i = 0; i < n; i++) {
            if (targets[i] < 0 || targets[i] >= InputContract.CLASSES) {
                throw new IllegalArgumentException("target class " + targets[i] + " is not a digit");
            }
            oneHot[i * InputContract.CLASSES + targets[i]] = 1;
        }
        boolean gradMode = JniUtils.isGradMode();
        try (NDManager scope = model.getNDManager().newSubManager()) {
            JniUtils.setGradMode(true);
            NDArray input = scope.create(normalized, Architectures.inputShape(n));
            input.setRequiresGradient(true);
            NDArray logits = model.getBlock()
                    .forward(new ParameterStore(scope, false), new NDList(input), false)
                    .singletonOrThrow();
            // The one-hot rows are the vector of the vector-Jacobian product: image i's gradient is that
            // of its own target logit. In inference mode no image's logits depend on another image of
            // the batch, so one backward pass over the whole batch gives every image its own gradient.
            NDArray vector = scope.create(oneHot, logits.getShape());
            JniUtils.backward((PtNDArray) logits, (PtNDArray) vector, false, false);
            return input.getGradient().toFloatArray();
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }
}
