package dev.digits.images;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts a group of strokes into the pieces its digits are made of. A group no wider than a digit is
 * one piece. A wider one holds touching digits: it is sliced by cut paths that run from its top to
 * its bottom along the handwriting's slant, through as little ink as they can, so that they pass
 * between digits that lean into each other and cross them only at the faint seam where they touch.
 * Which slices make which digit is for {@link CutSearch} to find.
 */
final class GroupSlices {

    /** Groups at most this many line heights wide are one piece. */
    static final double SPLIT_FROM = 0.8;
    /** No cut leaves less than this share of the line height at a group's edge. */
    static final double MIN_PIECE = 0.06;
    /** Cut paths are started this share of the line height apart. */
    static final double PATH_STEP = 0.03;
    /** Cuts that lie on average closer than this share of the line height are one cut (the cheaper wins). */
    static final double CUT_SPACING = 0.06;
    /** At most one cut per this share of the line height of a group's width, beyond one. */
    static final double CUTS_PER_HEIGHT = 0.1;
    /** A stroke with at least this share of its cells in one slice goes whole to that slice. */
    static final double WHOLE_STROKE = 0.85;
    /** How far a cut path may stray from its straight line, as a share of the line height. */
    static final double PATH_REACH = 0.4;
    /** What straying one column costs a cut path, against up to 1 for each cell of ink it runs through. */
    static final double PATH_STRAY = 0.01;
    /** Slants tried, as horizontal shift per row: handwriting leans up to about 30° either way. */
    static final double MAX_SLANT = 0.6;
    static final double SLANT_STEP = 0.1;
    /** A stroke's worth of ink on a cut path, as a share of the line height: about a pen's width. */
    static final double STROKE = 0.1;

    /**
     * Cells of the working grid that go together into any candidate digit, the group they come from,
     * and how many strokes' worth of ink the cut on their right runs through (0 at the group's end).
     */
    record Piece(int group, int[] cells, double cut) {
    }

    private GroupSlices() {
    }

    /** A group as one piece, or as slices between the cuts where its touching digits may part. */
    static List<Piece> of(InkLine line, int g) {
        InkLine.Group group = line.groups.get(g);
        int[] member = new int[line.components.count + 1];
        Arrays.fill(member, -1);
        for (int m = 0; m < group.labels().length; m++) {
            member[group.labels()[m]] = m;
        }
        int[] labels = line.components.labels;
        int count = 0;
        for (int y = group.minY(); y <= group.maxY(); y++) {
            for (int x = group.minX(); x <= group.maxX(); x++) {
                if (member[labels[y * line.width + x]] >= 0) {
                    count++;
                }
            }
        }
        int[] cells = new int[count];
        count = 0;
        for (int y = group.minY(); y <= group.maxY(); y++) {
            for (int x = group.minX(); x <= group.maxX(); x++) {
                if (member[labels[y * line.width + x]] >= 0) {
                    cells[count++] = y * line.width + x;
                }
            }
        }
        if (group.width() <= SPLIT_FROM * line.lineHeight) {
            return List.of(new Piece(g, cells, 0));
        }
        double centre = (group.minY() + group.maxY()) / 2.0;
        double slant = slant(cells, line.width, centre);
        int[][] paths = cutPaths(line, group, cells, slant, centre);
        // Slice of each cell by the cut paths left of it; strokes nearly all in one slice go whole to it.
        int slices = paths.length + 1;
        int[] slice = new int[cells.length];
        int[][] perStroke = new int[group.labels().length][slices];
        for (int i = 0; i < cells.length; i++) {
            int x = cells[i] % line.width;
            int row = cells[i] / line.width - group.minY();
            int s = 0;
            while (s < paths.length && x >= paths[s][row]) {
                s++;
            }
            slice[i] = s;
            perStroke[member[labels[cells[i]]]][s]++;
        }
        int[] wholeSlice = new int[group.labels().length];
        for (int m = 0; m < wholeSlice.length; m++) {
            int total = Arrays.stream(perStroke[m]).sum();
            wholeSlice[m] = -1;
            for (int s = 0; s < slices; s++) {
                if (perStroke[m][s] >= WHOLE_STROKE * total) {
                    wholeSlice[m] = s;
                }
            }
        }
        int[] sizes = new int[slices];
        for (int i = 0; i < cells.length; i++) {
            int whole = wholeSlice[member[labels[cells[i]]]];
            slice[i] = whole >= 0 ? whole : slice[i];
            sizes[slice[i]]++;
        }
        int[][] sliceCells = new int[slices][];
        for (int s = 0; s < slices; s++) {
            sliceCells[s] = new int[sizes[s]];
        }
        int[] filled = new int[slices];
        for (int i = 0; i < cells.length; i++) {
            sliceCells[slice[i]][filled[slice[i]]++] = cells[i];
        }
        List<Piece> pieces = new ArrayList<>(slices);
        for (int k = 0; k < slices; k++) {
            if (sliceCells[k].length > 0) {
                double cut = 0;
                if (k < paths.length) {
                    cut = Double.POSITIVE_INFINITY;
                    for (int next = k; next < paths.length; next++) {
                        cut = Math.min(cut, crossed(line, group, paths[next]) / (STROKE * line.lineHeight));
                        if (sliceCells[next + 1].length > 0) {
                            break;
                        }
                    }
                }
                pieces.add(new Piece(g, sliceCells[k], cut));
            }
        }
        return pieces;
    }

    /**
     * Where touching digits may part: cut paths started every few columns along the slant, of which
     * those through less ink than the paths started beside them are kept, once each (paths started
     * near one gap find the same way through it). Sorted left to right and never crossing.
     */
    private static int[][] cutPaths(InkLine line, InkLine.Group group, int[] cells, double slant, double centre) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int cell : cells) {
            int sheared = (int) Math.round(cell % line.width + slant * (cell / line.width - centre));
            min = Math.min(min, sheared);
            max = Math.max(max, sheared);
        }
        int margin = Math.max(1, (int) Math.round(MIN_PIECE * line.lineHeight));
        int step = Math.max(1, (int) Math.round(PATH_STEP * line.lineHeight));
        List<int[]> tried = new ArrayList<>();
        List<Double> costs = new ArrayList<>();
        for (int x = min + margin; x <= max + 1 - margin; x += step) {
            int[] path = path(line, group, x, slant, centre);
            tried.add(path);
            costs.add(crossed(line, group, path));
        }
        List<Integer> minima = new ArrayList<>();
        for (int i = 0; i < tried.size(); i++) {
            boolean left = i == 0 || costs.get(i - 1) >= costs.get(i);
            boolean right = i == tried.size() - 1 || costs.get(i + 1) >= costs.get(i);
            if (left && right) {
                minima.add(i);
            }
        }
        minima.sort(Comparator.comparingDouble(costs::get));
        int limit = 1 + (int) Math.ceil(group.width() / (CUTS_PER_HEIGHT * line.lineHeight));
        double apart = CUT_SPACING * line.lineHeight;
        List<int[]> kept = new ArrayList<>();
        for (int i : minima) {
            if (kept.size() >= limit) {
                break;
            }
            int[] path = tried.get(i);
            if (kept.stream().allMatch(other -> meanDistance(path, other) >= apart)) {
                kept.add(path);
            }
        }
        kept.sort(Comparator.comparingDouble(GroupSlices::meanX));
        int[][] paths = kept.toArray(new int[0][]);
        for (int k = 1; k < paths.length; k++) {
            for (int r = 0; r < paths[k].length; r++) {
                paths[k][r] = Math.max(paths[k][r], paths[k - 1][r]);
            }
        }
        return paths;
    }

    private static double meanDistance(int[] a, int[] b) {
        double sum = 0;
        for (int r = 0; r < a.length; r++) {
            sum += Math.abs(a[r] - b[r]);
        }
        return sum / a.length;
    }

    private static double meanX(int[] path) {
        double sum = 0;
        for (int x : path) {
            sum += x;
        }
        return sum / path.length;
    }

    /** What a cut path costs: the {@link InkLine#strength} of the cells it runs through. */
    private static double crossed(InkLine line, InkLine.Group group, int[] path) {
        double ink = 0;
        for (int r = 0; r < path.length; r++) {
            if (path[r] >= 0 && path[r] < line.width) {
                ink += line.strength(path[r], group.minY() + r);
            }
        }
        return ink;
    }

    /**
     * A cut from the group's top to its bottom near the slanted line through {@code sheared}: the
     * path through the least ink ({@link InkLine#strength}), moving at most one column per row, so
     * that it can pass between digits that overlap, and cross where they touch at their faint seam.
     *
     * @return for each row of the group, the first column on the cut's right
     */
    private static int[] path(InkLine line, InkLine.Group group, int sheared, double slant, double centre) {
        int rows = group.height();
        int reach = Math.max(1, (int) Math.round(PATH_REACH * line.lineHeight));
        int span = 2 * reach + 1;
        int[] lineX = new int[rows];
        double[] cost = new double[rows * span];
        int[] from = new int[rows * span];
        for (int r = 0; r < rows; r++) {
            int y = group.minY() + r;
            lineX[r] = (int) Math.round(sheared - slant * (y - centre));
            for (int d = 0; d < span; d++) {
                int x = lineX[r] - reach + d;
                double own = Math.abs(d - reach) * PATH_STRAY;
                if (x >= 0 && x < line.width) {
                    own += line.strength(x, y);
                }
                if (r == 0) {
                    cost[d] = own;
                    continue;
                }
                double best = Double.POSITIVE_INFINITY;
                for (int step = -1; step <= 1; step++) {
                    int p = x + step - (lineX[r - 1] - reach);
                    if (p >= 0 && p < span && cost[(r - 1) * span + p] < best) {
                        best = cost[(r - 1) * span + p];
                        from[r * span + d] = p;
                    }
                }
                cost[r * span + d] = best + own;
            }
        }
        int d = 0;
        for (int k = 1; k < span; k++) {
            if (cost[(rows - 1) * span + k] < cost[(rows - 1) * span + d]) {
                d = k;
            }
        }
        int[] path = new int[rows];
        for (int r = rows - 1; r >= 0; r--) {
            path[r] = lineX[r] - reach + d;
            d = from[r * span + d];
        }
        return path;
    }

    /**
     * The handwriting's slant: the shear under which the ink's column profile is most peaked
     * (largest sum of squares), i.e. under which its strokes stand most upright.
     */
    private static double slant(int[] cells, int width, double centre) {
        double best = 0;
        double bestScore = peakedness(cells, width, centre, 0);
        int steps = (int) Math.round(MAX_SLANT / SLANT_STEP);
        for (int step = -steps; step <= steps; step++) {
            double score = peakedness(cells, width, centre, step * SLANT_STEP);
            if (score > bestScore) {
                bestScore = score;
                best = step * SLANT_STEP;
            }
        }
        return best;
    }

    private static double peakedness(int[] cells, int width, double centre, double slant) {
        int[] xs = new int[cells.length];
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i = 0; i < cells.length; i++) {
            xs[i] = (int) Math.round(cells[i] % width + slant * (cells[i] / width - centre));
            min = Math.min(min, xs[i]);
            max = Math.max(max, xs[i]);
        }
        long[] profile = new long[max - min + 1];
        for (int x : xs) {
            profile[x - min]++;
        }
        double score = 0;
        for (long p : profile) {
            score += (double) p * p;
        }
        return score;
    }
}
