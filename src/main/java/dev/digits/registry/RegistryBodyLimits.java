package dev.digits.registry;

import dev.digits.web.BodyLimit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The body limits of this feature's endpoints, refused by the web layer before anything reads them. */
@Configuration(proxyBeanMethods = false)
class RegistryBodyLimits {

    /** A model archive imported by {@code POST /models}. */
    @Bean
    BodyLimit modelImportBodyLimit(RegistryProperties properties) {
        return BodyLimit.of(properties.maxImportSize(), "/models");
    }
}
