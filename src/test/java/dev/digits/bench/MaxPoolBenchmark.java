package dev.digits.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.digits.model.Architectures;
import dev.digits.model.MaxPool2x2;
import dev.digits.model.ModelArchive;
import dev.digits.support.MnistImages;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The 2×2 max-pooling of the {@code cnn}, at the sizes it has in a batch of 32, two ways on one
 * PyTorch thread: DJL's {@code maxPool} (PyTorch's {@code max_pool2d}, which on the CPU computes the
 * indices of the maxima too, one scalar at a time), and the element-wise maximum of the four strided
 * views of the input, which gives exactly the same values (floor mode: an odd last row and column
 * are left out, as {@code max_pool2d} leaves them). Thread CPU time, best of 40. Shows how much of
 * the forward pass pooling costs and what the equivalent formulation saves (see "Where the time
 * goes"). The network uses the strided form in inference since ({@code MaxPool2x2}), so the
 * block-by-block table below shows the pooling as served.
 *
 * <pre>./mvnw -o -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.MaxPoolBenchmark</pre>
 */
public final class MaxPoolBenchmark {

    private static final String COMMAND = "./mvnw -o -q test-compile exec:java "
            + "-Dexec.mainClass=dev.digits.bench.MaxPoolBenchmark";

    private MaxPoolBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        JniUtils.setNumThreads(1);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[][] shapes = {{32, 32, 28, 28}, {32, 64, 14, 14}, {32, 128, 7, 7}};
        StringBuilder table = new StringBuilder("""
                One PyTorch thread, thread CPU time per call, best of 40 (after 10 untimed); the input is
                ReLU(normal noise), half zeros, like the activations the network pools (after batch norm and
                ReLU); the outputs of the two ways are compared element by element.

                | input (batch 32) | max_pool2d (ms) | maximum of 4 strided views (ms) | same values |
                |---|---|---|---|
                """);
        double[] totals = new double[2];
        try (NDManager manager = NDManager.newBaseManager()) {
            for (long[] dims : shapes) {
                NDArray input = ai.djl.nn.Activation.relu(manager.randomNormal(new Shape(dims)));
                double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
                float[][] outputs = new float[2][];
                for (int rep = 0; rep < 50; rep++) {
                    for (int way = 0; way < 2; way++) {
                        try (NDManager scope = manager.newSubManager()) {
                            long started = threads.getCurrentThreadCpuTime();
                            NDArray pooled = way == 0
                                    ? input.getNDArrayInternal().maxPool(new Shape(2, 2), new Shape(2, 2),
                                    new Shape(0, 0), false)
                                    : MaxPool2x2.stridedMaximum(input);
                            float[] values = pooled.toFloatArray();
                            double millis = (threads.getCurrentThreadCpuTime() - started) / 1e6;
                            if (rep >= 10) {
                                best[way] = Math.min(best[way], millis);
                            }
                            outputs[way] = values;
                        }
                    }
                }
                totals[0] += best[0];
                totals[1] += best[1];
                String row = String.format(Locale.ROOT, "| %s | %.2f | %.2f | %s |%n", Arrays.toString(dims), best[0],
                        best[1], Arrays.equals(outputs[0], outputs[1]) ? "yes" : "NO");
                System.out.print(row);
                table.append(row);
            }
        }
        table.append(String.format(Locale.ROOT, "| all three | %.2f | %.2f | |%n", totals[0], totals[1]));
        table.append(forwardByLayer(threads));
        BenchmarkReport.write("max-pool", "Max-pooling: PyTorch's max_pool2d against an equivalent maximum", COMMAND,
                table.toString());
    }

    /**
     * The forward pass of the bundled model over 32 test digits, one child block at a time (each
     * conv/batch-norm/ReLU stage, each pooling, the head), thread CPU time, best of 40.
     */
    private static String forwardByLayer(ThreadMXBean threads) throws Exception {
        Path folder = Files.createTempDirectory("digits-bench-model");
        for (String name : new String[] {ModelArchive.PARAMETERS, ModelArchive.METADATA}) {
            try (InputStream in = MaxPoolBenchmark.class.getResourceAsStream("/bundled-model/" + name)) {
                Files.copy(in, folder.resolve(name));
            }
        }
        float[] input = MnistImages.normalizedTest(32);
        List<String> names = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        double[] best;
        try (Model model = ModelArchive.load(folder, ModelArchive.readMetadata(folder), Device.cpu())) {
            Block features = Architectures.features(model.getBlock());
            for (Pair<String, Block> child : features.getChildren()) {
                names.add(child.getValue() instanceof SequentialBlock ? "conv + batch norm + ReLU" : "max-pooling 2×2");
                blocks.add(child.getValue());
            }
            names.add("head (flatten, 2 linear layers)");
            blocks.add(model.getBlock().getChildren().get(1).getValue());
            best = new double[blocks.size()];
            Arrays.fill(best, Double.MAX_VALUE);
            for (int rep = 0; rep < 50; rep++) {
                try (NDManager scope = NDManager.newBaseManager(Device.cpu())) {
                    ParameterStore parameters = new ParameterStore(scope, false);
                    NDList x = new NDList(scope.create(input, Architectures.inputShape(32)));
                    for (int b = 0; b < blocks.size(); b++) {
                        long started = threads.getCurrentThreadCpuTime();
                        x = blocks.get(b).forward(parameters, x, false);
                        x.singletonOrThrow().toFloatArray(); // waits for the result, as the next layer would
                        if (rep >= 10) {
                            best[b] = Math.min(best[b], (threads.getCurrentThreadCpuTime() - started) / 1e6);
                        }
                    }
                }
            }
        }
        double total = Arrays.stream(best).sum();
        double pooling = 0;
        StringBuilder text = new StringBuilder("""

                The forward pass of the bundled `cnn` over 32 test digits on the same thread, block by block
                (the real activations; each block's output read back, best of 40):

                | block | ms | share |
                |---|---|---|
                """);
        for (int b = 0; b < blocks.size(); b++) {
            if (names.get(b).startsWith("max")) {
                pooling += best[b];
            }
            text.append(String.format(Locale.ROOT, "| %d. %s | %.2f | %.0f %% |%n", b + 1, names.get(b), best[b],
                    100 * best[b] / total));
        }
        text.append(String.format(Locale.ROOT, "| all | %.2f | |%n%nPooling is %.0f %% of the forward pass here.%n",
                total, 100 * pooling / total));
        System.out.print(text);
        return text.toString();
    }
}
