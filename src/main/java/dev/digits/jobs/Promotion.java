package dev.digits.jobs;

import dev.digits.data.LabelledImages;
import dev.digits.model.Evaluation;
import dev.digits.registry.LoadedModel;
import dev.digits.registry.ModelRegistry;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Applies a finished job's promotion policy to the version it registered. */
@Component
class Promotion {

    private final ModelRegistry registry;
    private final JobData data;
    private final JobProperties properties;

    Promotion(ModelRegistry registry, JobData data, JobProperties properties) {
        this.registry = registry;
        this.data = data;
        this.properties = properties;
    }

    /**
     * @param heldOut the job's test images, which neither it nor production trained on
     */
    JobResult decide(Job job, LabelledImages heldOut, String version, Map<String, Evaluation> evaluations) {
        PromotionPolicy policy = job.request().promotion();
        if (policy == PromotionPolicy.NEVER) {
            return new JobResult(version, evaluations, false, "promotion policy is never");
        }
        if (policy == PromotionPolicy.IF_BETTER) {
            String decision = compareWithProduction(job, heldOut, evaluations);
            if (decision != null) {
                return new JobResult(version, evaluations, false, decision);
            }
        }
        registry.promote(version, ModelRegistry.PRODUCTION);
        return new JobResult(version, evaluations, true, policy == PromotionPolicy.ALWAYS ? "promotion policy is always"
                : "better than production on the held-out data and within the MNIST margin");
    }

    /** @return why the new version is not better, or null if it is */
    private String compareWithProduction(Job job, LabelledImages heldOut, Map<String, Evaluation> evaluations) {
        double newHeldOut = evaluations.get("test").accuracy();
        double newMnist = evaluations.getOrDefault("mnist-test", evaluations.get("test")).accuracy();
        LoadedModel production = registry.acquireProduction();
        try {
            double prodHeldOut = production.evaluate(heldOut).accuracy();
            double prodMnist = JobDefaults.MNIST.equals(job.request().dataset()) ? prodHeldOut
                    : production.evaluate(data.mnist().test()).accuracy();
            if (newHeldOut <= prodHeldOut) {
                return String.format("not promoted: held-out accuracy %.4f is not above production's %.4f (version %s)",
                        newHeldOut, prodHeldOut, production.version());
            }
            if (newMnist < prodMnist - properties.mnistMargin()) {
                return String.format("not promoted: MNIST test accuracy %.4f is more than %.4f below production's %.4f",
                        newMnist, properties.mnistMargin(), prodMnist);
            }
            return null;
        } finally {
            production.release();
        }
    }
}
