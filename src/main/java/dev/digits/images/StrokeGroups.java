package dev.digits.images;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Groups the strokes of a row into digits. Strokes whose columns overlap belong to one digit, so a
 * bar or crossbar drawn apart stays with it; a union too low to be a digit joins the digit whose
 * columns it overlaps most; dots and specks, small for the line's height, are left out unless they
 * lie within a digit's columns, close to it (a stroke broken by a faint pen).
 */
final class StrokeGroups {

    /** A mark smaller than this share of the line's height in both directions is a dot or a speck. */
    static final double SPECK = 0.2;
    /** A union of strokes lower than this share of the line is no digit alone: a bar drawn apart, or a dash. */
    static final double MIN_DIGIT_HEIGHT = 0.35;
    /** Strokes whose columns overlap by this share of the narrower one belong to one digit. */
    private static final double OVERLAP = 0.5;
    /** How far from its digit a small broken-off piece of stroke may lie, as a share of the line's height. */
    private static final double REACH = 0.1;

    private StrokeGroups() {
    }

    /** @return the groups left to right */
    static List<InkLine.Group> of(Components c, double lineHeight) {
        double speck = SPECK * lineHeight;
        List<Integer> big = new ArrayList<>();
        List<Integer> small = new ArrayList<>();
        for (int label = 1; label <= c.count; label++) {
            int w = c.maxX[label] - c.minX[label] + 1;
            int h = c.maxY[label] - c.minY[label] + 1;
            (Math.max(w, h) >= speck ? big : small).add(label);
        }
        int[] parent = new int[c.count + 1];
        for (int label = 0; label <= c.count; label++) {
            parent[label] = label;
        }
        for (int i = 0; i < big.size(); i++) {
            for (int j = i + 1; j < big.size(); j++) {
                int a = big.get(i);
                int b = big.get(j);
                int overlap = Math.min(c.maxX[a], c.maxX[b]) - Math.max(c.minX[a], c.minX[b]) + 1;
                int narrower = Math.min(c.maxX[a] - c.minX[a], c.maxX[b] - c.minX[b]) + 1;
                if (overlap >= OVERLAP * narrower) {
                    parent[root(parent, a)] = root(parent, b);
                }
            }
        }
        // Boxes of the unions, indexed by their root label.
        int[][] boxes = new int[c.count + 1][];
        for (int label : big) {
            int r = root(parent, label);
            if (boxes[r] == null) {
                boxes[r] = new int[] {c.minX[label], c.minY[label], c.maxX[label], c.maxY[label]};
            } else {
                boxes[r][0] = Math.min(boxes[r][0], c.minX[label]);
                boxes[r][1] = Math.min(boxes[r][1], c.minY[label]);
                boxes[r][2] = Math.max(boxes[r][2], c.maxX[label]);
                boxes[r][3] = Math.max(boxes[r][3], c.maxY[label]);
            }
        }
        // A union too low to be a digit (a bar drawn apart, reaching past its digit's columns) joins the
        // digit whose columns it overlaps most; one that overlaps none is a dash or a stray mark.
        List<Integer> roots = new ArrayList<>();
        List<Integer> low = new ArrayList<>();
        for (int label : big) {
            if (root(parent, label) == label) {
                (boxes[label][3] - boxes[label][1] + 1 >= MIN_DIGIT_HEIGHT * lineHeight ? roots : low).add(label);
            }
        }
        for (int r : low) {
            int best = -1;
            int bestOverlap = 0;
            for (int tall : roots) {
                int overlap = Math.min(boxes[r][2], boxes[tall][2]) - Math.max(boxes[r][0], boxes[tall][0]) + 1;
                if (overlap > bestOverlap) {
                    best = tall;
                    bestOverlap = overlap;
                }
            }
            if (best >= 0) {
                parent[r] = best;
                boxes[best][0] = Math.min(boxes[best][0], boxes[r][0]);
                boxes[best][1] = Math.min(boxes[best][1], boxes[r][1]);
                boxes[best][2] = Math.max(boxes[best][2], boxes[r][2]);
                boxes[best][3] = Math.max(boxes[best][3], boxes[r][3]);
            }
        }
        roots.sort(Comparator.comparingInt(r -> boxes[r][0]));
        List<List<Integer>> members = new ArrayList<>();
        for (int g = 0; g < roots.size(); g++) {
            members.add(new ArrayList<>());
        }
        for (int label : big) {
            int g = roots.indexOf(root(parent, label));
            if (g >= 0) {
                members.get(g).add(label);
            }
        }
        // A small piece joins the digit whose columns it lies in, if it is close to it; dots between
        // digits and specks elsewhere join none.
        double reach = REACH * lineHeight;
        for (int label : small) {
            double centre = (c.minX[label] + c.maxX[label]) / 2.0;
            int best = -1;
            int bestGap = Integer.MAX_VALUE;
            for (int g = 0; g < roots.size(); g++) {
                int[] box = boxes[roots.get(g)];
                int gapY = Math.max(0, Math.max(c.minY[label] - box[3], box[1] - c.maxY[label]));
                if (centre >= box[0] && centre <= box[2] && gapY <= reach && gapY < bestGap) {
                    best = g;
                    bestGap = gapY;
                }
            }
            if (best >= 0) {
                members.get(best).add(label);
            }
        }
        List<InkLine.Group> groups = new ArrayList<>(roots.size());
        for (List<Integer> labels : members) {
            int minX = Integer.MAX_VALUE;
            int minY = Integer.MAX_VALUE;
            int maxX = -1;
            int maxY = -1;
            for (int label : labels) {
                minX = Math.min(minX, c.minX[label]);
                minY = Math.min(minY, c.minY[label]);
                maxX = Math.max(maxX, c.maxX[label]);
                maxY = Math.max(maxY, c.maxY[label]);
            }
            groups.add(new InkLine.Group(labels.stream().mapToInt(Integer::intValue).toArray(), minX, minY, maxX, maxY));
        }
        return groups;
    }

    private static int root(int[] parent, int label) {
        while (parent[label] != label) {
            parent[label] = parent[parent[label]];
            label = parent[label];
        }
        return label;
    }
}
