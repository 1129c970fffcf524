package dev.digits.datasets;

import static dev.digits.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.digits.data.LabelledImages;
import dev.digits.support.Http;
import dev.digits.support.NumberImages;
import dev.digits.support.NumberImages.Family;
import dev.digits.support.NumberImages.Style;
import dev.digits.support.ServiceTest;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code POST /feedback?mode=number}: a row of digits and its number become one sample per digit. */
class NumberFeedbackTests extends ServiceTest {

    private static final NumberImages NUMBERS = NumberImages.fromMnistTest();

    @Autowired
    DatasetRepository store;

    @Test
    void storesEachDigitWithItsOwnLabel() {
        // MNIST test digits 0..3 are 7, 2, 1, 0; they touch, so the label decides where they part.
        NumberImages.Sample sample = NUMBERS.render(Family.TOUCHING, Style.CANVAS, new int[] {0, 1, 2, 3}, new Random(21));
        int before = size();

        Http.Response response = http.post("/feedback?mode=number&label=" + sample.number(), "image/png", sample.bytes());

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().get("label").asString()).isEqualTo("7210");
        assertThat(response.json().get("digits").asInt()).isEqualTo(4);
        assertThat(response.json().get("feedbackSize").asInt()).isEqualTo(before + 4);
        LabelledImages feedback = store.load(DatasetRepository.FEEDBACK);
        int[] labels = new int[4];
        for (int i = 0; i < 4; i++) {
            labels[i] = feedback.label(feedback.size() - 4 + i);
        }
        assertThat(labels).containsExactlyInAnyOrder(7, 2, 1, 0);
    }

    @Test
    void takesAMultipartFileAndJsonWithTheLabelInside() {
        NumberImages.Sample sample = NUMBERS.render(Family.GAPS, Style.PAPER, new int[] {4, 5}, new Random(22));
        int before = size();

        Http.Response multipart = http.postMultipart("/feedback?mode=number&label=" + sample.number(), "file",
                "image/png", sample.bytes());
        assertThat(multipart.status()).as(multipart.body()).isEqualTo(201);
        Http.Response json = http.postJson("/feedback?mode=number", "{\"image\":\""
                + Base64.getEncoder().encodeToString(sample.bytes()) + "\",\"label\":\"" + sample.number() + "\"}");
        assertThat(json.status()).as(json.body()).isEqualTo(201);

        assertThat(size()).isEqualTo(before + 4);
    }

    @Test
    void refusesALabelThatDoesNotFitTheImageAndStoresNothing() {
        NumberImages.Sample two = NUMBERS.render(Family.GAPS, Style.CANVAS, new int[] {0, 1}, new Random(23));
        int before = size();

        assertProblem(http.post("/feedback?mode=number&label=72105", "image/png", two.bytes()), 400, "Invalid input");
        assertProblem(http.post("/feedback?mode=number&label=7a", "image/png", two.bytes()), 400, "Invalid input");
        assertProblem(http.post("/feedback?mode=number", "image/png", two.bytes()), 400, null);
        assertProblem(http.postJson("/feedback?mode=number", "{\"image\":\""
                + Base64.getEncoder().encodeToString(two.bytes()) + "\"}"), 400, "Invalid input");

        assertThat(size()).isEqualTo(before);
    }

    private int size() {
        return http.get("/datasets/feedback").json().get("size").asInt();
    }
}
