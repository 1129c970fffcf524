package dev.digits.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.digits.model.Architectures;
import dev.digits.model.BatchNormFolding;
import dev.digits.model.InputContract;
import dev.digits.model.ModelArchive;
import dev.digits.support.MnistImages;
import dev.digits.training.Evaluator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The bundled {@code cnn} as archived and with its batch norms folded into its convolutions, as
 * the registry serves it ({@code BatchNormFolding}), on one PyTorch thread (as each inference worker
 * computes): thread CPU time per image at the batch sizes the service forms, the median of rounds
 * that alternate between the two networks (this machine's speed drifts), and what folding does to
 * the answers on the 10,000 MNIST test digits.
 *
 * <pre>./mvnw -o -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.BatchNormFoldingBenchmark</pre>
 */
public final class BatchNormFoldingBenchmark {

    private static final String COMMAND = "./mvnw -o -q test-compile exec:java "
            + "-Dexec.mainClass=dev.digits.bench.BatchNormFoldingBenchmark";
    private static final Path BUNDLED = Path.of("src/main/resources/bundled-model");
    private static final int[] BATCHES = {1, 20, 64};
    private static final int ROUNDS = 7;
    private static final int IMAGES_PER_ROUND = 2048;

    private BatchNormFoldingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        JniUtils.setNumThreads(1);
        int count = MnistImages.test().size();
        float[] images = MnistImages.normalizedTest(count);
        try (Model archived = ModelArchive.load(BUNDLED, ModelArchive.readMetadata(BUNDLED), Device.cpu());
             Model served = ModelArchive.load(BUNDLED, ModelArchive.readMetadata(BUNDLED), Device.cpu())) {
            served.setBlock(BatchNormFolding.fold(served.getBlock(), served.getNDManager()));
            Block[] networks = {archived.getBlock(), served.getBlock()};
            StringBuilder body = new StringBuilder("""
                    One PyTorch thread; milliseconds of the thread's CPU time per image, each the median of %d
                    rounds of %d images (after one untimed round), the two networks alternating round by round.

                    | batch | as archived (ms/image) | batch norm folded (ms/image) | change |
                    |---|---|---|---|
                    """.formatted(ROUNDS, IMAGES_PER_ROUND));
            for (int batch : BATCHES) {
                double[][] perImage = new double[2][ROUNDS];
                for (int round = -1; round < ROUNDS; round++) {
                    for (int n = 0; n < 2; n++) {
                        double millis = millisPerImage(networks[n], images, batch);
                        if (round >= 0) {
                            perImage[n][round] = millis;
                        }
                    }
                }
                double before = median(perImage[0]);
                double after = median(perImage[1]);
                body.append(String.format(Locale.ROOT, "| %d | %.3f | %.3f | %+.0f %% |%n", batch, before, after,
                        100 * (after / before - 1)));
                System.out.printf(Locale.ROOT, "batch %d: %.3f → %.3f ms/image%n", batch, before, after);
            }
            float[] expected = logits(networks[0], images, count);
            float[] actual = logits(networks[1], images, count);
            int differ = 0;
            int correctBefore = 0;
            int correctAfter = 0;
            double largest = 0;
            for (int i = 0; i < count; i++) {
                int a = Evaluator.argMax(expected, i * InputContract.CLASSES);
                int b = Evaluator.argMax(actual, i * InputContract.CLASSES);
                differ += a == b ? 0 : 1;
                correctBefore += a == MnistImages.label(i) ? 1 : 0;
                correctAfter += b == MnistImages.label(i) ? 1 : 0;
            }
            for (int k = 0; k < expected.length; k++) {
                largest = Math.max(largest, Math.abs(expected[k] - actual[k]));
            }
            body.append(String.format(Locale.ROOT, """

                    On the %d MNIST test digits: accuracy %.2f %% as archived and %.2f %% folded; digits that
                    differ: %d; largest difference of a logit: %.1e.
                    """, count, 100.0 * correctBefore / count, 100.0 * correctAfter / count, differ, largest));
            BenchmarkReport.write("batch-norm-folding", "Batch norm folded into the convolutions (in process)",
                    COMMAND, body.toString());
        }
    }

    private static double millisPerImage(Block network, float[] images, int batch) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long started = threads.getCurrentThreadCpuTime();
        int done = 0;
        for (int from = 0; from + batch <= IMAGES_PER_ROUND; from += batch) {
            forward(network, Arrays.copyOfRange(images, from * InputContract.PIXELS,
                    (from + batch) * InputContract.PIXELS), batch);
            done += batch;
        }
        return (threads.getCurrentThreadCpuTime() - started) / 1e6 / done;
    }

    private static float[] logits(Block network, float[] images, int count) {
        int chunk = 100;
        float[] logits = new float[count * InputContract.CLASSES];
        for (int from = 0; from < count; from += chunk) {
            float[] out = forward(network, Arrays.copyOfRange(images, from * InputContract.PIXELS,
                    (from + chunk) * InputContract.PIXELS), chunk);
            System.arraycopy(out, 0, logits, from * InputContract.CLASSES, out.length);
        }
        return logits;
    }

    private static float[] forward(Block network, float[] batch, int size) {
        try (NDManager scope = NDManager.newBaseManager(Device.cpu())) {
            NDList input = new NDList(scope.create(batch, Architectures.inputShape(size)));
            return network.forward(new ParameterStore(scope, false), input, false).singletonOrThrow().toFloatArray();
        }
    }


    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
