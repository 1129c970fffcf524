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

    @Test
    void workersComputeOnOnePyTorchThreadEachInFp32ByDefault() {
        context.run(app -> {
            InferenceProperties properties = app.getBean(InferenceProperties.class);
            assertThat(properties.workerThreads()).isEqualTo(1);
            assertThat(properties.precision()).isEqualTo(InferenceProperties.Precision.FP32);
        });
        context.withPropertyValues("digits.inference.precision=fp32", "digits.inference.worker-threads=2").run(app -> {
            InferenceProperties properties = app.getBean(InferenceProperties.class);
            assertThat(properties.workerThreads()).isEqualTo(2);
            assertThat(properties.precision()).isEqualTo(InferenceProperties.Precision.FP32);
        });
    }

    @Test
    void refusesBf16WithTheReasonAndUnknownPrecisions() {
        context.withPropertyValues("digits.inference.precision=bf16").run(app ->
                assertThat(app).hasFailed().getFailure()
                        .hasStackTraceContaining("digits.inference.precision=bf16 is not available")
                        .hasStackTraceContaining("bfloat16"));
        for (String bad : new String[] {"precision=fp16", "worker-threads=0"}) {
            context.withPropertyValues("digits.inference." + bad).run(app ->
                    assertThat(app).as(bad).hasFailed().getFailure().hasStackTraceContaining(bad.split("=")[0]));
        }
    }
}
