package dev.digits.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.digits.images.MnistInput;
import dev.digits.support.MnistImages;
import dev.digits.web.PayloadTooLargeException;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming reader of {@code {"pixels": [...]}} against the tree path it stands in for: the same
 * floats for everything it accepts, and for everything else no answer of its own, so that the tree
 * path answers as it always has.
 */
class JsonImagesTests {

    @Test
    void readsFlatPixelsInto0to255AsTheTreeDoes() {
        for (int image = 0; image < 20; image++) {
            String body = "{\"pixels\":" + MnistImages.pixelsJson(image) + "}";
            assertSameAsTree(body);
        }
    }

    @Test
    void readsNestedRowsAndUnitValuesAsTheTreeDoes() {
        for (int image = 0; image < 20; image++) {
            assertSameAsTree("{\"pixels\":" + MnistImages.nestedUnitPixelsJson(image) + "}");
        }
        assertSameAsTree("{\"pixels\":" + nested(i -> String.valueOf(i % 256)) + "}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "1e2", "2.5E1", "0.5", "-0.0", "0", "255", "254.99999", "1E-7", "0.0000001"})
    void readsEveryNumberFormTheTreeAccepts(String number) {
        assertSameAsTree("{\"pixels\":" + flat(i -> i == 400 ? number : String.valueOf(i % 2)) + "}");
        assertSameAsTree("{\"pixels\":" + flat(i -> i % 3 == 0 ? number : "0.25") + "}");
    }

    @Test
    void allowsWhitespaceAroundTokens() {
        assertSameAsTree(" {\n  \"pixels\" : [ " + flat(i -> String.valueOf(i % 200)).substring(1).replace(",", " ,\n ")
                + " \n} ");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "null",
            "[]",
            "{}",
            "{\"pixels\":",
            "{\"pixels\":[1,2,3",
            "{\"pixels\":[1,2,3]}",
            "{\"pixels\":{}}",
            "{\"pixels\":\"abc\"}",
            "{\"image\":\"abc\"}",
            "{\"instances\":[]}",
    })
    void leavesAnythingElseToTheTree(String body) {
        assertThat(JsonImages.plainPixels(bytes(body))).isNull();
    }

    @Test
    void leavesWrongCountsValuesAndShapesToTheTree() {
        String[] bodies = {
                "{\"pixels\":" + flat(785, i -> "1") + "}", // too many
                "{\"pixels\":" + flat(783, i -> "1") + "}", // too few
                "{\"pixels\":" + flat(i -> i == 5 ? "256" : "1") + "}", // out of range
                "{\"pixels\":" + flat(i -> i == 5 ? "-1" : "1") + "}",
                "{\"pixels\":" + flat(i -> i == 5 ? "255.5" : "1") + "}",
                "{\"pixels\":" + flat(i -> i == 5 ? "1e400" : "1") + "}", // infinite
                "{\"pixels\":" + flat(i -> i == 5 ? "99999999999" : "1") + "}", // a long
                "{\"pixels\":" + flat(i -> i == 5 ? "\"7\"" : "1") + "}", // a string
                "{\"pixels\":" + flat(i -> i == 5 ? "null" : "1") + "}",
                "{\"pixels\":" + flat(i -> i == 5 ? "true" : "1") + "}",
                "{\"pixels\":" + flat(i -> i == 5 ? "[1]" : "1") + "}", // an array among numbers
                "{\"pixels\":" + nested(29, 28, i -> "1") + "}", // 29 rows
                "{\"pixels\":" + nested(27, 28, i -> "1") + "}",
                "{\"pixels\":" + nested(28, 29, i -> "1") + "}", // a row too long
                "{\"pixels\":" + nested(28, 27, i -> "1") + "}",
                "{\"pixels\":[" + flat(i -> "1").substring(1, flat(i -> "1").length() - 1) + "," + flat(28, i -> "1") + "]}",
                "{\"pixels\":" + flat(i -> "1") + ",\"model\":\"2\"}", // another field
                "{\"pixels\":" + flat(i -> "1") + ",\"pixels\":" + flat(i -> "0") + "}", // twice
                "{\"instances\":[{\"pixels\":" + flat(i -> "1") + "}]}",
                "{\"pixels\":" + flat(i -> "1") + "} {}", // trailing tokens
                "{\"pixels\":" + flat(i -> "1") + "} x",
                "{\"pixels\":" + flat(i -> "1") + "",  // unterminated
                "{\"pixels\":" + flat(i -> "01") + "}", // a leading zero: malformed
        };
        for (String body : bodies) {
            assertThat(JsonImages.plainPixels(bytes(body))).as(body.length() > 80 ? body.substring(0, 80) : body)
                    .isNull();
        }
    }

    @Test
    void answersEveryRefusalWithTheTreesMessage() {
        assertRefused("{\"pixels\":" + flat(785, i -> "1") + "}", "request.pixels has 785 values; expected 784 (28×28)");
        assertRefused("{\"pixels\":" + flat(i -> i == 5 ? "256" : "1") + "}", "request.pixels[5] = 256 is outside 0–255");
        assertRefused("{\"pixels\":" + flat(i -> i == 7 ? "-0.5" : "1") + "}", "request.pixels[7] = -0.5 is outside 0–255");
        assertRefused("{\"pixels\":" + flat(i -> i == 9 ? "\"7\"" : "1") + "}", "request.pixels[9] is not a number");
        assertRefused("{\"pixels\":" + nested(28, 27, i -> "1") + "}", "request.pixels must be 28 rows of 28 numbers");
        assertRefused("{\"pixels\":{}}", "request.pixels must be an array of 784 numbers or 28 rows of 28");
        assertRefused("{\"pixels\":[1,2", "malformed JSON");
        assertRefused("[]", "expected a JSON object with \"pixels\", \"image\" or \"instances\"");
    }

    @Test
    void keepsTheOtherFormsAndTheirLimits() {
        JsonImages.Parsed batch = JsonImages.parse(bytes("{\"instances\":[{\"pixels\":" + MnistImages.pixelsJson(0)
                + "}," + MnistImages.pixelsJson(1) + "]}"), 64, file -> {
            throw new AssertionError("no image files here");
        });
        assertThat(batch.batch()).isTrue();
        assertThat(batch.inputs()).hasSize(2);
        assertThatThrownBy(() -> JsonImages.parse(bytes("{\"instances\":[" + MnistImages.pixelsJson(0) + ","
                + MnistImages.pixelsJson(1) + "]}"), 1, file -> null)).isInstanceOf(PayloadTooLargeException.class);
        // With both fields the tree path reads instances, as it always has.
        JsonImages.Parsed both = JsonImages.parse(bytes("{\"pixels\":" + MnistImages.pixelsJson(0)
                + ",\"instances\":[" + MnistImages.pixelsJson(1) + "]}"), 64, file -> null);
        assertThat(both.batch()).isTrue();
    }

    /** The fast reader accepts the body, and gives exactly the floats and evidence that the tree gives. */
    private static void assertSameAsTree(String body) {
        float[] fast = JsonImages.plainPixels(bytes(body));
        assertThat(fast).as("read by the streaming reader").isNotNull();
        JsonImages.Parsed tree = JsonImages.parse(JsonImages.read(bytes(body)), 64, file -> null);
        assertThat(tree.batch()).isFalse();
        MnistInput expected = tree.inputs().get(0);
        assertThat(fast).containsExactly(expected.unit());
        JsonImages.Parsed parsed = JsonImages.parse(bytes(body), 64, file -> null);
        assertThat(parsed.batch()).isFalse();
        assertThat(parsed.inputs().get(0).unit()).containsExactly(expected.unit());
        assertThat(parsed.inputs().get(0).ink()).isEqualTo(expected.ink());
    }

    private static void assertRefused(String body, String message) {
        assertThatThrownBy(() -> JsonImages.parse(bytes(body), 64, file -> null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(message);
    }

    private static String flat(IntFunction<String> value) {
        return flat(784, value);
    }

    private static String flat(int count, IntFunction<String> value) {
        StringJoiner values = new StringJoiner(",", "[", "]");
        for (int i = 0; i < count; i++) {
            values.add(value.apply(i));
        }
        return values.toString();
    }

    private static String nested(IntFunction<String> value) {
        return nested(28, 28, value);
    }

    private static String nested(int rows, int columns, IntFunction<String> value) {
        StringJoiner all = new StringJoiner(",", "[", "]");
        for (int y = 0; y < rows; y++) {
            StringJoiner row = new StringJoiner(",", "[", "]");
            for (int x = 0; x < columns; x++) {
                row.add(value.apply(y * columns + x));
            }
            all.add(row.toString());
        }
        return all.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
