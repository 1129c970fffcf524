package dev.digits.datasets;

import dev.digits.inference.InferenceProperties;
import dev.digits.web.BodyLimit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The body limits of this feature's endpoints, refused by the web layer before anything reads them. */
@Configuration(proxyBeanMethods = false)
class DatasetBodyLimits {

    /** A dataset upload, as sent. */
    @Bean
    BodyLimit datasetUploadBodyLimit(DatasetProperties properties) {
        return BodyLimit.of(properties.maxUploadSize(), "/datasets");
    }

    /** Feedback carries the same images as {@code /predict}, under the same limit. */
    @Bean
    BodyLimit feedbackBodyLimit(InferenceProperties images) {
        return BodyLimit.of(images.maxBodySize(), "/feedback");
    }
}
