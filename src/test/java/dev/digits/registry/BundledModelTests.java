package dev.digits.registry;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import dev.digits.data.MnistLoader;
import dev.digits.data.MnistSource;
import dev.digits.model.Evaluation;
import dev.digits.model.ModelArchive;
import dev.digits.model.ModelMetadata;
import dev.digits.training.Evaluator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model shipped in the jar, trained by this project's own runner, on the full MNIST test set. */
class BundledModelTests {

    @Test
    void scoresAtLeast99Point5PercentOnTheFullTestSet(@TempDir Path folder) throws Exception {
        BundledModel.copyTo(folder);
        ModelMetadata metadata = ModelArchive.readMetadata(folder);

        try (Model model = ModelArchive.load(folder, metadata, Device.cpu())) {
            Evaluation test = Evaluator.evaluate(model, MnistLoader.load(MnistSource.bundled()).test(), 1);

            assertThat(test.images()).isEqualTo(10_000);
            assertThat(test.accuracy()).isGreaterThanOrEqualTo(0.995);
            assertThat(test.accuracy()).isEqualTo(metadata.evaluations().get("test").accuracy());
        }
        assertThat(metadata.architecture()).isEqualTo("cnn");
        assertThat(metadata.lineage()).containsEntry("source", "bundled").containsKey("hyperparameters");
    }
}
