package dev.digits.images;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.digits.model.Architectures;
import dev.digits.model.Calibrations;
import dev.digits.model.InputContract;
import dev.digits.model.ModelArchive;
import dev.digits.model.ModelMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bundled model through a DJL predictor on the CPU, as the service runs it: inputs normalized
 * as in training, probabilities at the version's calibrated temperature. Not thread-safe.
 */
final class BundledModelClassifier implements DigitClassifier<BundledModelClassifier.Scores>, AutoCloseable {

    /** One image's calibrated probabilities and raw logits. */
    record Scores(double[] probabilities, float[] logits) {
    }

    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final double temperature;
    private int images;

    BundledModelClassifier(Path folder) {
        try {
            for (String name : new String[] {ModelArchive.PARAMETERS, ModelArchive.METADATA}) {
                try (InputStream in = BundledModelClassifier.class.getResourceAsStream("/bundled-model/" + name)) {
                    Files.copy(in, folder.resolve(name));
                }
            }
            ModelMetadata metadata = ModelArchive.readMetadata(folder);
            this.temperature = metadata.calibrationOrNone().temperature();
            this.model = ModelArchive.load(folder, metadata, Device.cpu());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.predictor = model.newPredictor(new NoopTranslator());
    }

    @Override
    public List<Scores> classify(List<float[]> units) {
        images += units.size();
        float[] batch = new float[units.size() * InputContract.PIXELS];
        for (int i = 0; i < units.size(); i++) {
            System.arraycopy(units.get(i), 0, batch, i * InputContract.PIXELS, InputContract.PIXELS);
        }
        InputContract.normalize(batch, 0, batch.length);
        float[] logits;
        try (NDManager scope = NDManager.newBaseManager(Device.cpu())) {
            logits = predictor.predict(new NDList(scope.create(batch, Architectures.inputShape(units.size()))))
                    .singletonOrThrow().toFloatArray();
        } catch (TranslateException e) {
            throw new IllegalStateException(e);
        }
        List<Scores> scores = new ArrayList<>(units.size());
        for (int i = 0; i < units.size(); i++) {
            int offset = i * InputContract.CLASSES;
            scores.add(new Scores(Calibrations.softmax(logits, offset, InputContract.CLASSES, temperature),
                    Arrays.copyOfRange(logits, offset, offset + InputContract.CLASSES)));
        }
        return scores;
    }

    @Override
    public double[] probabilities(Scores result) {
        return result.probabilities();
    }

    @Override
    public float[] logits(Scores result) {
        return result.logits();
    }

    /** Images classified so far: candidates included. */
    int images() {
        return images;
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
