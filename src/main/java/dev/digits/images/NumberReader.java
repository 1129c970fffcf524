package dev.digits.images;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a row of handwritten digits, left to right: a house number, a meter reading, an amount.
 * The ink is found and cleaned as for one digit; its strokes are grouped into digits
 * ({@link InkLine}), touching digits are split where the classifier reads them best
 * ({@link GroupSlices}, {@link CutSearch}, {@link CandidateScores}), and each digit is cut, fitted
 * and centred exactly as a single-digit image is. Every candidate digit goes to the classifier in
 * one batch. Stateless and thread-safe.
 */
public final class NumberReader {

    /** An image may be this many times as wide as tall per digit allowed; wider is not one row of them. */
    static final double MAX_WIDTH_PER_DIGIT = 1.5;
    private final int maxDigits;

    public NumberReader(int maxDigits) {
        if (maxDigits < 1) {
            throw new IllegalArgumentException("maxDigits must be positive but is " + maxDigits);
        }
        this.maxDigits = maxDigits;
    }

    public int maxDigits() {
        return maxDigits;
    }

    /**
     * @return the reading whose digits score best together ({@link CandidateScores}); empty when the
     *     image holds no ink
     * @throws NumberTooLongException over {@link #maxDigits()} digits, or an image too wide for them
     */
    public <R> NumberReading<R> read(BufferedImage image, DigitClassifier<R> classifier) {
        return read(image, classifier, null);
    }

    /**
     * Reads the image as a known number: the cuts chosen are those under which the classifier
     * finds the given digits most likely. For corrections, where the free reading may have split the
     * number wrongly.
     *
     * @param digits the number's digits, left to right
     * @return the reading, or null when the image cannot be split into that many digits
     */
    public <R> NumberReading<R> readAs(BufferedImage image, DigitClassifier<R> classifier, int[] digits) {
        Objects.requireNonNull(digits, "digits");
        if (digits.length == 0 || digits.length > maxDigits) {
            throw new IllegalArgumentException("a number has 1 to " + maxDigits + " digits, not " + digits.length);
        }
        return read(image, classifier, digits);
    }

    private <R> NumberReading<R> read(BufferedImage image, DigitClassifier<R> classifier, int[] expected) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(classifier, "classifier");
        if (image.getWidth() > MAX_WIDTH_PER_DIGIT * maxDigits * image.getHeight()) {
            throw new NumberTooLongException("the image is " + image.getWidth() + "×" + image.getHeight()
                    + " pixels: more than " + Math.round(MAX_WIDTH_PER_DIGIT * maxDigits)
                    + " times as wide as tall, too wide for a row of " + maxDigits + " digits");
        }
        InkLine line = InkLine.find(GrayConversion.of(image));
        if (line == null || line.groups.isEmpty()) {
            return expected == null ? new NumberReading<>(List.of()) : null;
        }
        if (line.groups.size() > maxDigits) {
            throw tooLong(line.groups.size());
        }
        CutSearch search = CutSearch.of(line);
        List<CutSearch.Candidate> candidates = search.candidates();
        if (candidates.isEmpty()) {
            // Nothing was left of the ink once the paper's noise was taken off.
            return expected == null ? new NumberReading<>(List.of()) : null;
        }
        List<float[]> units = new ArrayList<>(candidates.size());
        candidates.forEach(c -> units.add(c.unit()));
        List<R> results = classifier.classify(units);
        if (results.size() != units.size()) {
            throw new IllegalStateException(results.size() + " results for " + units.size() + " images");
        }
        double[][] probabilities = new double[candidates.size()][];
        float[][] logits = new float[candidates.size()][];
        for (int i = 0; i < candidates.size(); i++) {
            probabilities[i] = classifier.probabilities(results.get(i));
            logits[i] = classifier.logits(results.get(i));
        }
        CandidateScores scores = new CandidateScores(probabilities, logits, expected);
        List<CutSearch.Candidate> path = search.best(expected == null ? -1 : expected.length, scores::score);
        if (path == null) {
            // A known number that does not fit; or a piece of faint ink that no candidate could take.
            return expected == null ? new NumberReading<>(List.of()) : null;
        }
        if (path.size() > maxDigits) {
            throw tooLong(path.size());
        }
        List<NumberReading.ReadDigit<R>> digits = new ArrayList<>(path.size());
        for (CutSearch.Candidate c : path) {
            int digit = scores.mostLikely(c);
            digits.add(new NumberReading.ReadDigit<>(digit, scores.probability(c, digit), c.box(), c.unit(),
                    results.get(c.index())));
        }
        return new NumberReading<>(digits);
    }

    private NumberTooLongException tooLong(int found) {
        return new NumberTooLongException("the image holds at least " + found + " digits; at most " + maxDigits
                + " are read");
    }
}
