package dev.digits.data;

import ai.djl.ndarray.NDArray;
import ai.djl.translate.Transform;
import dev.digits.model.InputContract;

/** {@link InputContract}'s normalization as a DJL transform, the last step before the network. */
public final class NormalizeTransform implements Transform {

    @Override
    public NDArray transform(NDArray image) {
        return image.sub(InputContract.MEAN).divi(InputContract.STD);
    }
}
