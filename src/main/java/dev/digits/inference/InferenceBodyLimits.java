package dev.digits.inference;

import dev.digits.web.BodyLimit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The body limits of this feature's endpoints, refused by the web layer before anything reads them. */
@Configuration(proxyBeanMethods = false)
class InferenceBodyLimits {

    /** The images of {@code /predict}, in whichever form they come. */
    @Bean
    BodyLimit predictBodyLimit(InferenceProperties properties) {
        return BodyLimit.of(properties.maxBodySize(), "/predict");
    }
}
