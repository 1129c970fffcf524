package dev.digits.inference;

import dev.digits.images.MnistInput;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Turns preprocessed images into answers: the batched prediction, then each image's own
 * abstention (no ink found, or a calibrated confidence under the version's threshold), counted by
 * reason, and the explanations when asked for. Every image entry point answers through here, so
 * all of them refuse and explain the same way.
 */
@Component
public class Answers {

    private final BatchingPredictor predictor;
    private final Explainer explainer;
    private final Map<Abstention, Counter> abstained = new EnumMap<>(Abstention.class);

    public Answers(BatchingPredictor predictor, Explainer explainer, MeterRegistry meters) {
        this.predictor = predictor;
        this.explainer = explainer;
        for (Abstention reason : Abstention.values()) {
            abstained.put(reason, Counter.builder("digits.predict.abstained")
                    .description("Answers that named no digit, by reason")
                    .tag("reason", reason.reason())
                    .register(meters));
        }
    }

    /**
     * @param reject false to get the most likely digit even where the answer would abstain
     * @param explain add the image the network saw and each pixel's attribution
     */
    public record Options(boolean reject, boolean explain) {

        public static final Options DEFAULT = new Options(true, false);
    }

    /**
     * Counts an abstention of an answer made elsewhere from these predictions (a whole number's
     * reading), so that {@code digits.predict.abstained} covers every answer.
     */
    public void countAbstention(Abstention reason) {
        abstained.get(reason).increment();
    }

    /**
     * @param model a version or alias, or null for production
     */
    public List<Prediction> answer(List<MnistInput> inputs, String model, Options options) {
        List<float[]> units = inputs.stream().map(MnistInput::unit).toList();
        List<Prediction> raw = predictor.predict(units, model);
        List<Prediction> answers = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            Prediction prediction = raw.get(i);
            if (!inputs.get(i).ink().found()) {
                prediction = prediction.abstaining(Abstention.NO_INK);
            }
            if (!options.reject()) {
                prediction = prediction.unrefused();
            } else if (prediction.reason() != null) {
                abstained.get(prediction.reason()).increment();
            }
            answers.add(prediction);
        }
        if (options.explain()) {
            // On the explainer's own threads and the versions that answered, never on the inference workers.
            List<Explanation> explanations = explainer.explain(units, answers);
            for (int i = 0; i < answers.size(); i++) {
                answers.set(i, answers.get(i).explained(explanations.get(i)));
            }
        }
        return answers;
    }
}
