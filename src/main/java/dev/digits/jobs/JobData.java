package dev.digits.jobs;

import dev.digits.data.LabelledImages;
import dev.digits.data.Mnist;
import dev.digits.data.MnistLoader;
import dev.digits.data.MnistSource;
import dev.digits.datasets.DatasetRepository;
import java.util.Arrays;
import org.springframework.stereotype.Component;

/**
 * The images a job trains, validates and is tested on, split the same way every time for the same
 * request, so that a resumed job continues on exactly the data it started with.
 */
@Component
class JobData {

    /** Share of an uploaded or feedback dataset kept apart as its test split. */
    private static final double TEST_FRACTION = 0.2;
    private static final int MINIMUM_IMAGES = 10;
    private static final int MNIST_VALIDATION = 5_000;

    private final DatasetRepository datasets;
    private volatile Mnist mnist;

    JobData(DatasetRepository datasets) {
        this.datasets = datasets;
    }

    Mnist mnist() {
        Mnist loaded = mnist;
        if (loaded == null) {
            synchronized (this) {
                if (mnist == null) {
                    mnist = MnistLoader.load(MnistSource.bundled());
                }
                loaded = mnist;
            }
        }
        return loaded;
    }

    /** MNIST validation digits, split off the training images as a MNIST job with this seed would. */
    LabelledImages mnistValidation(long seed) {
        return mnist().split(MNIST_VALIDATION, seed).validation();
    }

    Mnist.Split split(JobRequest request) {
        if (JobDefaults.MNIST.equals(request.dataset())) {
            int validation = (int) Math.round(mnist().train().size() * request.validationFraction());
            return mnist().split(validation, request.seed());
        }
        LabelledImages all = datasets.load(request.dataset());
        if (all.size() < MINIMUM_IMAGES) {
            throw new IllegalStateException("dataset '" + request.dataset() + "' has " + all.size()
                    + " images; a job needs at least " + MINIMUM_IMAGES);
        }
        int[] order = Mnist.shuffledIndices(all.size(), request.seed());
        int test = Math.max(1, (int) Math.round(all.size() * TEST_FRACTION));
        int validation = Math.max(1, (int) Math.round((all.size() - test) * request.validationFraction()));
        return new Mnist.Split(all.select(Arrays.copyOfRange(order, test + validation, order.length)),
                all.select(Arrays.copyOfRange(order, test, test + validation)),
                all.select(Arrays.copyOfRange(order, 0, test)));
    }
}
