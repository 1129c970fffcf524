package dev.digits.images;

import java.util.Arrays;

/** 8-connected components of a binary mask, with their areas and bounding boxes. */
final class Components {

    final int[] labels;
    final int count;
    final int[] area;
    final int[] minX;
    final int[] minY;
    final int[] maxX;
    final int[] maxY;

    private Components(int[] labels, int count, int[] area, int[] minX, int[] minY, int[] maxX, int[] maxY) {
        this.labels = labels;
        this.count = count;
        this.area = area;
        this.minX = minX;
        this.minY = minY;
        this.maxX = maxX;
        this.maxY = maxY;
    }

    /** Labels are 1..count; 0 is outside the mask. */
    static Components label(boolean[] mask, int width, int height) {
        int[] labels = new int[mask.length];
        int[] stack = new int[mask.length];
        int[] area = new int[16];
        int[] minX = new int[16];
        int[] minY = new int[16];
        int[] maxX = new int[16];
        int[] maxY = new int[16];
        int count = 0;
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || labels[start] != 0) {
                continue;
            }
            count++;
            if (count == area.length) {
                area = Arrays.copyOf(area, count * 2);
                minX = Arrays.copyOf(minX, count * 2);
                minY = Arrays.copyOf(minY, count * 2);
                maxX = Arrays.copyOf(maxX, count * 2);
                maxY = Arrays.copyOf(maxY, count * 2);
            }
            minX[count] = Integer.MAX_VALUE;
            minY[count] = Integer.MAX_VALUE;
            maxX[count] = -1;
            maxY[count] = -1;
            int top = 0;
            stack[top++] = start;
            labels[start] = count;
            while (top > 0) {
                int p = stack[--top];
                int x = p % width;
                int y = p / width;
                area[count]++;
                minX[count] = Math.min(minX[count], x);
                minY[count] = Math.min(minY[count], y);
                maxX[count] = Math.max(maxX[count], x);
                maxY[count] = Math.max(maxY[count], y);
                for (int ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
                    for (int nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
                        int q = ny * width + nx;
                        if (mask[q] && labels[q] == 0) {
                            labels[q] = count;
                            stack[top++] = q;
                        }
                    }
                }
            }
        }
        return new Components(labels, count, area, minX, minY, maxX, maxY);
    }

    /** The label with the largest area, or 0 if there are no components. */
    int largest() {
        int best = 0;
        for (int c = 1; c <= count; c++) {
            if (best == 0 || area[c] > area[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Connected pieces of a 28×28 unit image's pixels at or above {@code threshold}. */
    static int count(float[] unit, float threshold) {
        boolean[] mask = new boolean[unit.length];
        for (int i = 0; i < unit.length; i++) {
            mask[i] = unit[i] >= threshold;
        }
        int side = (int) Math.round(Math.sqrt(unit.length));
        return label(mask, side, side).count;
    }
}
