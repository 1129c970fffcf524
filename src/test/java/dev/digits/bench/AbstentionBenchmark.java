package dev.digits.bench;

import dev.digits.training.AbstentionMeasurement;
import dev.digits.training.negatives.NegativeFamily;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How the bundled model abstains: false rejection of real digits, rejection of every negative
 * family, AUROC, and calibration before and after its temperature. Writes docs/benchmarks.md.
 */
public final class AbstentionBenchmark {

    private static final String COMMAND = "./mvnw -q test-compile exec:java -Dexec.classpathScope=test "
            + "-Dexec.mainClass=dev.digits.bench.AbstentionBenchmark";
    private static final int CLIENT_RENDERS = 5_000;
    private static final int NEGATIVES_PER_FAMILY = 1_000;

    private AbstentionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        AbstentionMeasurement m = AbstentionMeasurement.of(Path.of("src/main/resources/bundled-model"),
                CLIENT_RENDERS, NEGATIVES_PER_FAMILY);
        StringBuilder body = new StringBuilder();
        body.append(String.format(Locale.ROOT, """
                The bundled model (`src/main/resources/bundled-model`), temperature %.3f, threshold %.4f on the
                top calibrated probability (chosen on held-out real digits to reject at most %.1f %% of them; it
                rejected %.2f %% of those %,d). Measured on images no training run saw: the 10,000 MNIST test
                digits, %,d client-style renders of test digits (canvas, coloured pen, scan, phone photo, plain; decoded
                and preprocessed as `/predict` does) and %,d negatives per family drawn with a held-out seed.

                | real digits | falsely rejected |
                |---|---|
                | MNIST test (10,000) | %.2f %% |
                | client-style renders (%,d) | %.2f %% |

                | negative family | rejected as not-a-digit |
                |---|---|
                """, m.calibration().temperature(), m.calibration().threshold(),
                100 * m.calibration().targetFalseRejection(), 100 * m.calibration().heldOutFalseRejection(),
                m.calibration().heldOutImages(), m.clientImages(), m.negativesPerFamily(),
                100 * m.mnistFalseRejection(), m.clientImages(), 100 * m.clientFalseRejection()));
        for (NegativeFamily family : NegativeFamily.values()) {
            body.append(String.format(Locale.ROOT, "| %s | %.1f %% |%n", family.toString().toLowerCase(Locale.ROOT),
                    100 * m.rejectedPerFamily().get(family)));
        }
        body.append(String.format(Locale.ROOT, """

                AUROC, real digits (test and renders) against all negatives: **%.4f**.

                Calibration on MNIST test (expected calibration error, 15 bins): **%.3f %%** with the raw softmax,
                **%.3f %%** with the temperature; accuracy %.2f %%.
                """, m.auroc(), 100 * m.eceRaw(), 100 * m.eceCalibrated(), 100 * m.accuracy()));
        BenchmarkReport.write("abstention", "Abstention: false rejection, negatives rejected, AUROC, calibration",
                COMMAND, body.toString());
        System.out.println(body);
    }
}
