package dev.digits.images;

/**
 * What each candidate digit is worth in a reading, in log units: the reading chosen is the path of
 * candidates whose scores add up highest. A score is the log of the classifier's probability for
 * the digit, plus three things the probability does not say.
 */
final class CandidateScores {

    /**
     * The network's confidence alone cannot tell a digit from a piece of one, nor from two touching
     * digits read as one blob: it is sure of all three. How strongly the network responds can: over
     * the bundled model's readings of generated numbers, whole digits had a largest logit of 14 at
     * the median (a quarter below 10.5), pieces 5.5 (three quarters below 8.3). A candidate gains
     * {@code LOGIT_WEIGHT} per unit its logit lies above {@code LOGIT_LEVEL}, so a reading of more,
     * smaller digits wins only where each of them excites the network as a digit does. Networks
     * trained by this project's recipe share the scale.
     */
    static final double LOGIT_WEIGHT = 0.3;
    static final double LOGIT_LEVEL = 8;
    /**
     * What the cut on a candidate's right costs, per stroke's worth of ink it runs through
     * ({@link CutSearch.Candidate#cut()}): touching digits part at a faint seam, while a digit cut in
     * two is cut through its strokes.
     */
    static final double CUT_WEIGHT = 1.0;
    /**
     * A known number is never cut into a candidate this implausible for its digit (a loop of an 8,
     * the tail of a 2): better no correction than a wrong one stored.
     */
    static final double MIN_KNOWN_PRIOR = -4;

    private final double[][] probabilities;
    private final float[][] logits;
    private final int[] expected;

    /**
     * @param probabilities and {@code logits}: the classifier's, for each candidate by its index
     * @param expected the digits of a known number, or null to read the number
     */
    CandidateScores(double[][] probabilities, float[][] logits, int[] expected) {
        this.probabilities = probabilities;
        this.logits = logits;
        this.expected = expected;
    }

    /** The candidate as the {@code k}-th digit of a known number, or (k = -1) as the digit it reads as. */
    double score(CutSearch.Candidate c, int k) {
        double[] p = probabilities[c.index()];
        int digit = k < 0 ? mostLikely(c) : expected[k];
        double prior = c.prior(digit);
        if (k >= 0 && prior < MIN_KNOWN_PRIOR) {
            return Double.NEGATIVE_INFINITY;
        }
        return Math.log(Math.max(p[digit], 1e-12)) + prior + LOGIT_WEIGHT * (logits[c.index()][digit] - LOGIT_LEVEL)
                - CUT_WEIGHT * c.cut();
    }

    int mostLikely(CutSearch.Candidate c) {
        double[] p = probabilities[c.index()];
        int best = 0;
        for (int digit = 1; digit < p.length; digit++) {
            if (p[digit] > p[best]) {
                best = digit;
            }
        }
        return best;
    }

    double probability(CutSearch.Candidate c, int digit) {
        return probabilities[c.index()][digit];
    }
}
