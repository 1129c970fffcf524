package dev.digits.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import dev.digits.data.LabelledImages;
import dev.digits.model.InputContract;

/**
 * Outlier exposure (Hendrycks, Mazeika and Dietterich, ICLR 2019): softmax cross-entropy for
 * digits, and for images labelled {@link LabelledImages#NOT_A_DIGIT} the cross-entropy to the
 * uniform distribution, so the network learns to spread its belief on what is no digit. Its top
 * softmax probability then tells digits from everything else. Without negatives in the batch this
 * is plain softmax cross-entropy.
 */
public final class OutlierExposureLoss extends Loss {

    private final float outlierWeight;

    /**
     * @param outlierWeight how much one negative counts against one digit (the paper's λ)
     */
    public OutlierExposureLoss(float outlierWeight) {
        super("OutlierExposureLoss");
        this.outlierWeight = outlierWeight;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logProbabilities = predictions.singletonOrThrow().logSoftmax(1);
        NDArray oneHot = labels.singletonOrThrow().toType(DataType.INT64, false).oneHot(InputContract.CLASSES + 1);
        NDArray digits = oneHot.get(":, :" + InputContract.CLASSES);
        NDArray negatives = oneHot.get(":, " + InputContract.CLASSES + ":");
        NDArray target = digits.add(negatives.mul(outlierWeight / InputContract.CLASSES));
        return target.mul(logProbabilities).sum(new int[] {1}).neg().mean();
    }
}
