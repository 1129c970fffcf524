package dev.digits.inference;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Describes {@code mode=number} on the {@code /predict} and {@code /feedback} operations. OpenAPI
 * has one operation per path and method, and the number handlers share theirs with the single-digit
 * ones, so they are hidden from the generator and described here as a mode of those operations.
 */
@Component
class NumberModeApiDocs implements OpenApiCustomizer {

    static final String PREDICT = """
            With mode=number, the image (a body, one multipart "file", or JSON {"image": "<base64>"}) is read as a \
            row of digits, left to right: an amount, a code, a meter reading. Each digit is cut, fitted and centred \
            as a single-digit image is, and all are classified in one batch. The answer is {"number", "confidence" \
            (the product of the digits' confidences), "modelVersion", "digits": [{"digit", "confidence", "box": \
            {x, y, width, height} in the upload's pixels}]}. An image without ink answers "number": null with \
            "reason": "no-ink"; a part that is not a digit, "reason": "not-a-digit". More than 32 digits, or an \
            image more than 48 times as wide as tall, is 413.""";
    static final String FEEDBACK = """
            With mode=number, the image is a row of digits and label is the number it shows (label=4071, or \
            "label": "4071" in JSON): the image is cut into as many digits as the label has, where they read best \
            as those digits, and each is added to the feedback dataset with its own label. 400 if the image cannot \
            be cut into that many digits.""";

    @Override
    public void customise(OpenAPI api) {
        if (api.getPaths() == null) {
            return;
        }
        describe(api.getPaths().get("/predict"), PREDICT, "a row of digits, read left to right");
        describe(api.getPaths().get("/feedback"), FEEDBACK, "a row of digits, one feedback sample per digit");
        Operation predict = post(api.getPaths().get("/predict"));
        if (predict != null) {
            addAnswerSchema(api, predict);
        }
    }

    private static void describe(PathItem path, String description, String mode) {
        Operation post = post(path);
        if (post == null) {
            return;
        }
        post.setDescription(post.getDescription() == null ? description : post.getDescription() + "\n\n" + description);
        post.addParametersItem(new Parameter().in("query").name("mode").required(false)
                .description("number: " + mode).schema(new StringSchema()._enum(List.of("number"))));
    }

    /** Adds the number answer to the 200 response's possible bodies. */
    private static void addAnswerSchema(OpenAPI api, Operation predict) {
        ResolvedSchema answer = ModelConverters.getInstance()
                .resolveAsResolvedSchema(new AnnotatedType(NumberController.NumberAnswer.class));
        if (answer == null || answer.schema == null || api.getComponents() == null) {
            return;
        }
        api.getComponents().addSchemas("NumberAnswer", answer.schema);
        if (answer.referencedSchemas != null) {
            answer.referencedSchemas.forEach(api.getComponents()::addSchemas);
        }
        ApiResponse ok = predict.getResponses() == null ? null : predict.getResponses().get("200");
        if (ok == null || ok.getContent() == null) {
            return;
        }
        Schema<?> reference = new Schema<>().$ref("#/components/schemas/NumberAnswer");
        for (MediaType media : ok.getContent().values()) {
            Schema<?> schema = media.getSchema();
            if (schema instanceof ComposedSchema composed && composed.getOneOf() != null) {
                composed.addOneOfItem(reference);
            } else {
                media.setSchema(new ComposedSchema().oneOf(schema == null ? List.of(reference) : List.of(schema, reference)));
            }
        }
    }

    private static Operation post(PathItem path) {
        return path == null ? null : path.getPost();
    }
}
