package dev.digits.images;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleBiFunction;

/**
 * Finds where one digit ends and the next begins by asking the classifier. The line's groups are
 * cut into pieces ({@link GroupSlices}); every run of neighbouring pieces that could be one digit is
 * a candidate, cut from the image, fitted and centred exactly as a single digit is. The reader has
 * all candidates classified in one batch and scores them; the reading is the path through the
 * pieces whose candidates score best together.
 */
final class CutSearch {

    /** No candidate of several pieces is wider than this many line heights. */
    static final double MAX_WIDTH = 1.6;
    /** A candidate spans at most this many pieces. */
    static final int MAX_PIECES = 12;
    /** Groups lower than this share of the line are likely part of a digit broken apart. */
    static final double SHORT = 0.7;
    /** Separate groups may form one digit when one is short and the gap between them is at most this share of the line. */
    static final double JOIN_GAP = 0.15;

    /**
     * A possible digit: the pieces from node {@code fromNode} to node {@code toNode}, its unit image,
     * its box in the decoded image's pixels, its width over its height, its height over the line's,
     * and the ink of the cut on its right in strokes ({@link GroupSlices.Piece#cut()}).
     */
    record Candidate(int index, int fromNode, int toNode, float[] unit, Box box, double ratio, double heightShare,
                     double cut) {

        /** Log of the prior that {@code digit} has this candidate's shape, whatever the network says. */
        double prior(int digit) {
            return DigitShapes.prior(digit, ratio, heightShare);
        }
    }

    private final List<Candidate> candidates;
    private final int nodes;

    private CutSearch(List<Candidate> candidates, int nodes) {
        this.candidates = candidates;
        this.nodes = nodes;
    }

    /**
     * The candidates of a line. Nodes are the boundaries between pieces, numbered left to right, so
     * a reading is a path from node 0 to the last node; candidates are in order of their first node.
     */
    static CutSearch of(InkLine line) {
        List<GroupSlices.Piece> pieces = new ArrayList<>();
        for (int g = 0; g < line.groups.size(); g++) {
            pieces.addAll(GroupSlices.of(line, g));
        }
        List<Candidate> candidates = new ArrayList<>();
        boolean[] scratch = new boolean[line.mask.length];
        double maxWidth = MAX_WIDTH * line.lineHeight;
        for (int i = 0; i < pieces.size(); i++) {
            int left = Integer.MAX_VALUE;
            int right = -1;
            for (int j = i + 1; j <= Math.min(pieces.size(), i + MAX_PIECES); j++) {
                GroupSlices.Piece last = pieces.get(j - 1);
                if (j > i + 1 && !joinable(line, pieces.get(j - 2).group(), last.group())) {
                    break;
                }
                for (int cell : last.cells()) {
                    left = Math.min(left, cell % line.width);
                    right = Math.max(right, cell % line.width);
                }
                if (j > i + 1 && right - left + 1 > maxWidth) {
                    break;
                }
                Candidate candidate = candidate(line, pieces.subList(i, j), candidates.size(), i, j, scratch);
                if (candidate != null) {
                    candidates.add(candidate);
                }
            }
        }
        return new CutSearch(candidates, pieces.size() + 1);
    }

    List<Candidate> candidates() {
        return candidates;
    }

    /**
     * The path through the pieces with the highest total score; with {@code length} ≥ 0, among paths
     * of exactly that many candidates.
     *
     * @param score a candidate's log score as the {@code k}-th digit of the reading (k from 0), or
     *     with k = -1 when no length is asked for
     * @return the chosen candidates left to right, or null when no path has {@code length} candidates
     */
    List<Candidate> best(int length, ToDoubleBiFunction<Candidate, Integer> score) {
        // With no length asked for, every path is scored as if it were step 0: one layer suffices.
        int layers = Math.max(0, length) + 1;
        double[][] best = new double[nodes][layers];
        Candidate[][] via = new Candidate[nodes][layers];
        for (double[] row : best) {
            Arrays.fill(row, Double.NEGATIVE_INFINITY);
        }
        best[0][0] = 0;
        for (Candidate c : candidates) {
            for (int k = 0; k < layers; k++) {
                int next = length >= 0 ? k + 1 : 0;
                if (best[c.fromNode()][k] == Double.NEGATIVE_INFINITY || next >= layers) {
                    continue;
                }
                double total = best[c.fromNode()][k] + score.applyAsDouble(c, length >= 0 ? k : -1);
                if (total > best[c.toNode()][next]) {
                    best[c.toNode()][next] = total;
                    via[c.toNode()][next] = c;
                }
            }
        }
        int k = layers - 1;
        if (best[nodes - 1][k] == Double.NEGATIVE_INFINITY) {
            return null;
        }
        List<Candidate> path = new ArrayList<>();
        for (int node = nodes - 1; node > 0; ) {
            Candidate c = via[node][k];
            path.add(0, c);
            node = c.fromNode();
            k = length >= 0 ? k - 1 : 0;
        }
        return path;
    }

    /**
     * Neighbouring groups can be one digit broken apart only if one of them is too short to be a
     * digit alone and they are close: a 4 whose arms were drawn apart from its stem.
     */
    private static boolean joinable(InkLine line, int left, int right) {
        if (left == right) {
            return true;
        }
        InkLine.Group a = line.groups.get(left);
        InkLine.Group b = line.groups.get(right);
        boolean oneShort = Math.min(a.height(), b.height()) < SHORT * line.lineHeight;
        return oneShort && b.minX() - a.maxX() - 1 <= JOIN_GAP * line.lineHeight;
    }

    /**
     * The pieces as one digit, cut from the full-resolution image as a single digit is.
     *
     * @return null if no ink is left once the crop removes the paper's noise
     */
    private static Candidate candidate(InkLine line, List<GroupSlices.Piece> pieces, int index, int fromNode, int toNode,
            boolean[] strokes) {
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (GroupSlices.Piece piece : pieces) {
            for (int cell : piece.cells()) {
                strokes[cell] = true;
                minX = Math.min(minX, cell % line.width);
                minY = Math.min(minY, cell / line.width);
                maxX = Math.max(maxX, cell % line.width);
                maxY = Math.max(maxY, cell / line.width);
            }
        }
        try {
            InkRegion region = InkRegion.of(strokes, minX, minY, maxX, maxY, line.mask, line.width, line.height,
                    line.threshold);
            DigitCrop crop = DigitCrop.extract(line.gray, line.background, region, line.factor);
            if (crop == null) {
                return null;
            }
            int f = line.factor;
            int left = minX * f;
            int top = minY * f;
            Box box = new Box(left, top, Math.min(line.gray.width(), (maxX + 1) * f) - left,
                    Math.min(line.gray.height(), (maxY + 1) * f) - top);
            return new Candidate(index, fromNode, toNode, MnistFrame.place(crop), box,
                    (maxX - minX + 1) / (double) (maxY - minY + 1), (maxY - minY + 1) / line.lineHeight,
                    pieces.get(pieces.size() - 1).cut());
        } finally {
            for (GroupSlices.Piece piece : pieces) {
                for (int cell : piece.cells()) {
                    strokes[cell] = false;
                }
            }
        }
    }
}
