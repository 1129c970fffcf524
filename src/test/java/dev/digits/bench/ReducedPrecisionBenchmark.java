package dev.digits.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.Pair;
import dev.digits.data.LabelledImages;
import dev.digits.model.Architectures;
import dev.digits.model.InputContract;
import dev.digits.model.ModelArchive;
import dev.digits.model.ModelMetadata;
import dev.digits.support.MnistImages;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Whether inference in a reduced precision could pay here: what the CPU offers (AVX-512 BF16, AMX),
 * whether DJL's PyTorch engine can make a bfloat16 tensor at all (tried in a JVM of its own, since
 * the attempt can end the process), and, for the one half-precision type it does map (float16),
 * the bundled model's accuracy on the 10,000 MNIST test digits and its speed on one PyTorch thread,
 * against float32. Writes the section "reduced-precision" of docs/benchmarks.md.
 *
 * <pre>./mvnw -o -q test-compile exec:java -Dexec.mainClass=dev.digits.bench.ReducedPrecisionBenchmark</pre>
 */
public final class ReducedPrecisionBenchmark {

    private static final String COMMAND = "./mvnw -o -q test-compile exec:java "
            + "-Dexec.mainClass=dev.digits.bench.ReducedPrecisionBenchmark";

    private ReducedPrecisionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        StringBuilder text = new StringBuilder();
        text.append("CPU flags for reduced precision in `/proc/cpuinfo`: ").append(cpuFlags()).append("\n\n");
        text.append("bfloat16 in DJL 0.36's PyTorch engine, a cast of a float32 array in a JVM of its own: ")
                .append(bf16Cast()).append("\n\n");

        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        JniUtils.setNumThreads(1);
        Path folder = Files.createTempDirectory("digits-bench-model");
        for (String name : new String[] {ModelArchive.PARAMETERS, ModelArchive.METADATA}) {
            try (InputStream in = ReducedPrecisionBenchmark.class.getResourceAsStream("/bundled-model/" + name)) {
                Files.copy(in, folder.resolve(name));
            }
        }
        ModelMetadata metadata = ModelArchive.readMetadata(folder);
        LabelledImages test = MnistImages.test();
        text.append("""
                The bundled `cnn`, float32 as trained and a float16 copy of it (every parameter cast, inputs cast
                to float16, logits back to float32), on one PyTorch thread (as each inference worker computes):
                accuracy on the 10,000 MNIST test digits (argmax of the logits), and images per second of the
                thread's own CPU time (so that other processes on the machine do not count), over 5 s after 2 s.

                | precision | test accuracy | digits that differ from float32 | images/s, batch 1 | batch 16 | batch 64 |
                |---|---|---|---|---|---|
                """);
        try (Model fp32 = ModelArchive.load(folder, metadata, Device.cpu());
             Model fp16 = castCopy(fp32, metadata, DataType.FLOAT16)) {
            int[] reference = predictions(fp32, DataType.FLOAT32, test);
            for (Model model : new Model[] {fp32, fp16}) {
                DataType type = model == fp32 ? DataType.FLOAT32 : DataType.FLOAT16;
                int[] digits = model == fp32 ? reference : predictions(model, type, test);
                int correct = 0;
                int differ = 0;
                for (int i = 0; i < digits.length; i++) {
                    correct += digits[i] == test.label(i) ? 1 : 0;
                    differ += digits[i] != reference[i] ? 1 : 0;
                }
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.2f %% | %d |", type,
                        100.0 * correct / digits.length, differ));
                for (int batch : new int[] {1, 16, 64}) {
                    row.append(String.format(Locale.ROOT, " %.0f |", imagesPerSecond(model, type, test, batch)));
                }
                System.out.println(row);
                text.append(row).append('\n');
            }
        }
        BenchmarkReport.write("reduced-precision", "Reduced precision (bfloat16, float16) on this CPU", COMMAND,
                text.toString());
    }

    /** The flags that matter for bfloat16 and float16 compute, present or not. */
    private static String cpuFlags() throws IOException {
        List<String> flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("flags")).findFirst()
                .map(line -> Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+")))
                .orElse(List.of());
        StringBuilder text = new StringBuilder();
        for (String flag : new String[] {"avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512_bf16", "avx512_fp16",
                "amx_bf16", "amx_tile", "avx_vnni"}) {
            text.append('`').append(flag).append("` ").append(flags.contains(flag) ? "yes" : "no").append(", ");
        }
        return text.substring(0, text.length() - 2);
    }

    /** Runs {@link Bf16Cast} in a JVM of its own and says how it ended. */
    private static String bf16Cast() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", classPath(), Bf16Cast.class.getName()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(2, TimeUnit.MINUTES);
        String last = output.lines().filter(line -> !line.contains(" WARN ") && !line.contains(" INFO "))
                .reduce((a, b) -> b).orElse("").trim();
        return process.exitValue() == 0 ? "works (" + last + ")"
                : "the JVM ends with exit code " + process.exitValue() + " and `" + last + "` (native std::terminate: "
                  + "the engine's JNI maps no bfloat16 type)";
    }

    /** Casts a float32 array to bfloat16 and back. */
    public static final class Bf16Cast {

        public static void main(String[] args) {
            Engine.getEngine("PyTorch");
            try (NDManager manager = NDManager.newBaseManager()) {
                float[] back = manager.create(new float[] {1.5f, -2.25f}).toType(DataType.BFLOAT16, false)
                        .toType(DataType.FLOAT32, false).toFloatArray();
                System.out.println("bfloat16 round trip: " + Arrays.toString(back));
            }
        }
    }

    /** A copy of {@code source}'s network with every parameter cast to {@code type}. */
    private static Model castCopy(Model source, ModelMetadata metadata, DataType type) {
        Model copy = Model.newInstance("cast", Device.cpu(), "PyTorch");
        Block block = Architectures.create(metadata.architecture());
        List<Pair<String, Parameter>> from = source.getBlock().getParameters().stream().toList();
        List<Pair<String, Parameter>> to = block.getParameters().stream().toList();
        for (int i = 0; i < from.size(); i++) {
            NDArray cast = from.get(i).getValue().getArray().toType(type, true);
            cast.attach(copy.getNDManager());
            to.get(i).getValue().setArray(cast);
        }
        block.freezeParameters(true);
        copy.setBlock(block);
        return copy;
    }

    private static int[] predictions(Model model, DataType type, LabelledImages test) throws Exception {
        int[] digits = new int[test.size()];
        try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            for (int from = 0; from < test.size(); from += 100) {
                float[] logits = logits(predictor, type, batch(test, from, 100), 100);
                for (int i = 0; i < 100; i++) {
                    int best = 0;
                    for (int c = 1; c < InputContract.CLASSES; c++) {
                        if (logits[i * InputContract.CLASSES + c] > logits[i * InputContract.CLASSES + best]) {
                            best = c;
                        }
                    }
                    digits[from + i] = best;
                }
            }
        }
        return digits;
    }

    private static double imagesPerSecond(Model model, DataType type, LabelledImages test, int batch) throws Exception {
        float[] input = batch(test, 0, batch);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(5);
            long images = 0;
            long cpuFrom = -1;
            while (System.nanoTime() < end) {
                if (cpuFrom < 0 && System.nanoTime() >= measureFrom) {
                    cpuFrom = threads.getCurrentThreadCpuTime();
                }
                logits(predictor, type, input, batch);
                if (cpuFrom >= 0) {
                    images += batch;
                }
            }
            // Per CPU second of this thread, so that other processes on the machine do not count.
            return images / ((threads.getCurrentThreadCpuTime() - cpuFrom) / 1e9);
        }
    }

    private static float[] batch(LabelledImages test, int from, int count) {
        float[] input = new float[count * InputContract.PIXELS];
        for (int i = 0; i < count; i++) {
            test.copyUnit(from + i, input, i * InputContract.PIXELS);
        }
        InputContract.normalize(input, 0, input.length);
        return input;
    }

    private static float[] logits(Predictor<NDList, NDList> predictor, DataType type, float[] input, int count)
            throws Exception {
        try (NDManager scope = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = scope.create(input, Architectures.inputShape(count));
            if (type != DataType.FLOAT32) {
                x = x.toType(type, false);
            }
            return predictor.predict(new NDList(x)).singletonOrThrow().toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    private static String classPath() {
        if (Thread.currentThread().getContextClassLoader() instanceof java.net.URLClassLoader loader
                && loader.getURLs().length > 0) {
            StringBuilder entries = new StringBuilder();
            for (java.net.URL url : loader.getURLs()) {
                try {
                    entries.append(Path.of(url.toURI())).append(java.io.File.pathSeparator);
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
            return entries.toString();
        }
        return System.getProperty("java.class.path");
    }
}
