package dev.digits.datasets;

import dev.digits.data.LabelledImages;
import dev.digits.model.InputContract;
import java.util.List;

/**
 * The port to wherever datasets are kept, already preprocessed to 28×28: folders on one
 * filesystem, or PostgreSQL for their descriptions and object storage for their images. A dataset
 * appears complete or not at all. {@value #FEEDBACK} is the dataset of corrections sent to
 * {@code POST /feedback}; it always exists.
 */
public interface DatasetRepository {

    String FEEDBACK = "feedback";

    /** Stores preprocessed images as a new dataset described by {@code info}. */
    DatasetInfo save(DatasetInfo info, LabelledImages images);

    boolean exists(String id);

    /** Every dataset, oldest first, feedback among them. */
    List<DatasetInfo> list();

    DatasetInfo info(String id);

    /** The dataset's images and labels; for {@code feedback}, every sample so far. */
    LabelledImages load(String id);

    void delete(String id);

    /**
     * Adds corrected images to the feedback dataset, all of them or none.
     *
     * @return how many images the feedback dataset holds now
     */
    int addFeedback(LabelledImages samples);

    /** Adds one corrected image (784 values in [0, 1]); see {@link #addFeedback(LabelledImages)}. */
    default int addFeedback(float[] unit, int label) {
        byte[] pixels = new byte[InputContract.PIXELS];
        LabelledImages.putUnit(unit, pixels, 0);
        return addFeedback(new LabelledImages(pixels, new byte[] {(byte) label}));
    }

    /** What {@link #info} answers for the feedback dataset, given its images. */
    static DatasetInfo feedbackInfo(LabelledImages feedback) {
        return new DatasetInfo(FEEDBACK, "corrections sent to POST /feedback", "feedback", java.time.Instant.EPOCH,
                feedback.size(), feedback.countsPerClass(), List.of());
    }
}
