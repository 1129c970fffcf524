package dev.digits.inference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

class InferencePropertiesTests {

    @EnableConfigurationProperties(InferenceProperties.class)
    static class Config {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class);

    @Test
    void explanationsDefaultToSixteenStepsOnOneThread() {
        context.run(app -> {
            InferenceProperties properties = app.getBean(InferenceProperties.class);
            assertThat(properties.explainSteps()).isEqualTo(16);
            assertThat(properties.explainThreads()).isEqualTo(1);
            assertThat(properties.explainQueueCapacity()).isEqualTo(16);
        });
    }

    @Test
    void refusesExplanationSettingsThatCannotWork() {
        for (String bad : new String[] {"explain-steps=0", "explain-steps=1000", "explain-threads=0",
                "explain-queue-capacity=0"}) {
            context.withPropertyValues("digits.inference." + bad).run(app ->
                    assertThat(app).as(bad).hasFailed().getFailure().hasStackTraceContaining(bad.split("=")[0]));
        }
    }
}
