package dev.digits.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.digits.datasets.InvalidDatasetException;
import dev.digits.datasets.UnknownDatasetException;
import dev.digits.images.ImageTooLargeException;
import dev.digits.images.InvalidImageException;
import dev.digits.inference.InvalidInputException;
import dev.digits.jobs.FieldProblem;
import dev.digits.jobs.InvalidJobRequestException;
import dev.digits.jobs.UnknownJobException;
import dev.digits.model.ModelFormatException;
import dev.digits.model.UnknownArchitectureException;
import dev.digits.problems.OverloadedException;
import dev.digits.registry.DamagedModelException;
import dev.digits.registry.InvalidAliasException;
import dev.digits.registry.InvalidModelArchiveException;
import dev.digits.registry.ModelInUseException;
import dev.digits.registry.ModelLoadException;
import dev.digits.registry.RollbackUnavailableException;
import dev.digits.registry.UnknownModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The problem each of our exceptions becomes through {@link ProblemDetailsAdvice}: the table the
 * advice held before each exception declared its own problem, pinned so that no response changes.
 */
class ProblemDetailsAdviceTests {

    private static final ThreadLocal<RuntimeException> TO_THROW = new ThreadLocal<>();

    @RestController
    static class Throwing {

        @GetMapping("/throw")
        String fail() {
            throw TO_THROW.get();
        }
    }

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Throwing())
            .setControllerAdvice(new ProblemDetailsAdvice()).build();

    static Stream<Arguments> problems() {
        return Stream.of(
                Arguments.of(new InvalidInputException("x"), 400, "Invalid input", "/problems/invalid-input"),
                Arguments.of(new UnknownArchitectureException("vgg", List.of("mlp")), 400, "Invalid input",
                        "/problems/invalid-input"),
                Arguments.of(new InvalidAliasException("x"), 400, "Invalid input", "/problems/invalid-input"),
                Arguments.of(new InvalidImageException("x"), 400, "Invalid image", "/problems/invalid-image"),
                Arguments.of(new ImageTooLargeException(10_000, 10_000, 1_000), 413, "Image too large",
                        "/problems/image-too-large"),
                Arguments.of(new PayloadTooLargeException("x"), 413, "Request too large",
                        "/problems/request-too-large"),
                Arguments.of(new InvalidDatasetException("x"), 400, "Invalid dataset", "/problems/invalid-dataset"),
                Arguments.of(new UnknownJobException("j"), 404, "Not found", "/problems/not-found"),
                Arguments.of(new UnknownDatasetException("d"), 404, "Not found", "/problems/not-found"),
                Arguments.of(new UnknownModelException("7"), 404, "Unknown model", "/problems/unknown-model"),
                Arguments.of(new ModelInUseException("7", List.of("production")), 409, "Model in use",
                        "/problems/model-in-use"),
                Arguments.of(new RollbackUnavailableException(), 409, "Nothing to roll back to",
                        "/problems/nothing-to-roll-back-to"),
                Arguments.of(new ModelLoadException("7", "broken", new IOException("no space left on device")), 422,
                        "Model cannot be used", "/problems/model-cannot-be-used"),
                Arguments.of(new ModelFormatException("x"), 422, "Model cannot be used",
                        "/problems/model-cannot-be-used"),
                Arguments.of(new DamagedModelException("7", "x"), 422, "Model cannot be used",
                        "/problems/model-cannot-be-used"),
                Arguments.of(new InvalidModelArchiveException("x"), 422, "Invalid model archive",
                        "/problems/invalid-model-archive"));
    }

    @ParameterizedTest
    @MethodSource("problems")
    void eachExceptionDeclaresItsProblem(RuntimeException e, int status, String title, String type) throws Exception {
        TO_THROW.set(e);
        mvc.perform(get("/throw")).andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.title").value(title))
                .andExpect(jsonPath("$.type").value(type))
                .andExpect(jsonPath("$.detail").value(e.getMessage()))
                .andExpect(header().doesNotExist("Retry-After"));
    }

    @Test
    void anInvalidJobRequestListsEachField() throws Exception {
        TO_THROW.set(new InvalidJobRequestException(List.of(new FieldProblem("epochs", "must be at least 1"),
                new FieldProblem("batchSize", "must be at least 1"))));
        mvc.perform(get("/throw")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Invalid job request"))
                .andExpect(jsonPath("$.errors[0].field").value("epochs"))
                .andExpect(jsonPath("$.errors[1].message").value("must be at least 1"));
    }

    @Test
    void overloadIsRetriedAfterWholeSecondsAtLeastOne() throws Exception {
        TO_THROW.set(new OverloadedException("the job queue is full (4 jobs)", Duration.ofMillis(200)));
        mvc.perform(get("/throw")).andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "1"))
                .andExpect(jsonPath("$.title").value("Overloaded"))
                .andExpect(jsonPath("$.type").value("/problems/overloaded"))
                .andExpect(jsonPath("$.detail").value("the job queue is full (4 jobs)"));
        TO_THROW.set(new OverloadedException("busy", Duration.ofSeconds(30)));
        mvc.perform(get("/throw")).andExpect(header().string("Retry-After", "30"));
    }

    @Test
    void anythingElseIsAnInternalErrorOrAFullStore() throws Exception {
        TO_THROW.set(new IllegalStateException("/var/digits/models/7 is broken"));
        mvc.perform(get("/throw")).andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.title").value("Internal error"))
                .andExpect(jsonPath("$.detail").value("the server failed to handle the request; see its log"));
        TO_THROW.set(new UncheckedIOException(new IOException("No space left on device")));
        mvc.perform(get("/throw")).andExpect(status().isInsufficientStorage())
                .andExpect(jsonPath("$.title").value("Insufficient storage"));
    }
}
