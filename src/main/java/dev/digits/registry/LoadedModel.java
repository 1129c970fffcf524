package dev.digits.registry;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoopTranslator;
import dev.digits.data.LabelledImages;
import dev.digits.model.Evaluation;
import dev.digits.model.InputGradients;
import dev.digits.model.ModelMetadata;
import dev.digits.training.Evaluator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One model version in memory, reference-counted so that a swap never closes it under a request.
 * The registry holds one reference while the version is in service; every user takes another with
 * {@link #retain()} and gives it back with {@link #release()}. The native memory is freed when the
 * last reference goes.
 */
public final class LoadedModel {

    private final ModelMetadata metadata;
    private final Model model;
    private final AtomicInteger references = new AtomicInteger(1);
    private final Map<Thread, Predictor<NDList, NDList>> predictors = new ConcurrentHashMap<>();

    LoadedModel(ModelMetadata metadata, Model model) {
        this.metadata = metadata;
        this.model = model;
        // A served version never trains. Frozen parameters take no gradients, so the backward pass of
        // an explanation computes the input's gradient only and nothing accumulates in the model.
        model.getBlock().freezeParameters(true);
    }

    public String version() {
        return metadata.version();
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    /** @return false if the model is already closed and must not be used */
    public boolean retain() {
        while (true) {
            int current = references.get();
            if (current == 0) {
                return false;
            }
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    public void release() {
        if (references.decrementAndGet() == 0) {
            predictors.values().forEach(Predictor::close);
            predictors.clear();
            model.close();
        }
    }

    public boolean isClosed() {
        return references.get() == 0;
    }

    /** Predictors cached for threads, for tests. */
    int cachedPredictors() {
        return predictors.size();
    }

    /** The DJL model, for tests that check its native arrays are freed. */
    Model djlModel() {
        return model;
    }

    /**
     * The calling thread's predictor for this model. DJL predictors are not thread-safe, so each
     * inference worker gets its own; gradients are never recorded by a predictor.
     */
    public Predictor<NDList, NDList> predictor() {
        Predictor<NDList, NDList> predictor = predictors.get(Thread.currentThread());
        if (predictor == null) {
            // Request threads also predict (the idle shortcut), and the web server retires idle ones:
            // drop the predictors of threads that are gone, so the cache does not grow while a version serves.
            predictors.forEach((thread, stale) -> {
                if (!thread.isAlive() && predictors.remove(thread, stale)) {
                    stale.close();
                }
            });
            predictor = model.newPredictor(new NoopTranslator());
            predictors.put(Thread.currentThread(), predictor);
        }
        return predictor;
    }

    /**
     * Gradients of chosen logits with respect to the input, on the calling thread (see
     * {@link InputGradients}); for explanations, which run on their own threads, never on the
     * inference workers. The caller holds a reference.
     *
     * @param normalized images side by side, {@code targets.length × 784} normalized values
     * @param targets per image, the class whose logit is differentiated
     * @return d logit[targets[i]] / d input[i], {@code targets.length × 784} values
     */
    public float[] inputGradients(float[] normalized, int[] targets) {
        return InputGradients.of(model, normalized, targets);
    }

    /** Scores this version on labelled images (the caller holds a reference). */
    public Evaluation evaluate(LabelledImages images) {
        return Evaluator.evaluate(model, images, metadata.calibrationOrNone().temperature());
    }
}
