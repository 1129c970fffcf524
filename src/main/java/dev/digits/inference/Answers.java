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
 * reason. Every image entry point answers through here, so all of them refuse the same way.
 */
@Component
public class Answers {

    private final BatchingPredictor predictor;
    private final Map<Abstention, Counter> abstained = new EnumMap<>(Abstention.class);

    public Answers(BatchingPredictor predictor, MeterRegistry meters) {
        this.predictor = predictor;
        for (Abstention reason : Abstention.values()) {
            abstained.put(reason, Counter.builder("digits.predict.abstained")
                    .description("Answers that named no digit, by reason")
                    .tag("reason", reason.reason())
                    .register(meters));
        }
    }

    /**
     * @param reject false to get the most likely digit even where the answer would abstain
     */
    public record Options(boolean reject) {

        public static final Options DEFAULT = new Options(true);
    }

    /**
     * @param model a version or alias, or null for production
     */
    public List<Prediction> answer(List<MnistInput> inputs, String model, Options options) {
        List<Prediction> raw = predictor.predict(inputs.stream().map(MnistInput::unit).toList(), model);
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
        return answers;
    }
}
