package dev.digits.images;

/** Least-squares polynomial surfaces in coordinates normalized to [-1, 1]: constant or quadratic. */
final class Surface {

    private Surface() {
    }

    /**
     * Fits {@code terms} (1 or 6) coefficients to the samples selected by {@code use}; falls back to
     * the constant {@code fallback} when too few samples are selected or the system is singular.
     */
    static double[] fit(double[] us, double[] vs, float[] values, boolean[] use, int terms, float fallback) {
        double[][] normal = new double[terms][terms + 1];
        double[] basis = new double[terms];
        int count = 0;
        for (int k = 0; k < values.length; k++) {
            if (!use[k]) {
                continue;
            }
            basis(us[k], vs[k], basis);
            for (int r = 0; r < terms; r++) {
                for (int c = r; c < terms; c++) {
                    normal[r][c] += basis[r] * basis[c];
                }
                normal[r][terms] += basis[r] * values[k];
            }
            count++;
        }
        double[] coefficients = new double[6];
        if (count < 3 * terms) {
            coefficients[0] = fallback;
            return coefficients;
        }
        for (int r = 0; r < terms; r++) {
            for (int c = 0; c < r; c++) {
                normal[r][c] = normal[c][r];
            }
        }
        double[] solution = solve(normal);
        if (solution == null) {
            coefficients[0] = fallback;
            return coefficients;
        }
        System.arraycopy(solution, 0, coefficients, 0, terms);
        return coefficients;
    }

    static double evaluate(double[] c, double u, double v) {
        return c[0] + c[1] * u + c[2] * v + c[3] * u * u + c[4] * u * v + c[5] * v * v;
    }

    private static void basis(double u, double v, double[] out) {
        out[0] = 1;
        if (out.length > 1) {
            out[1] = u;
            out[2] = v;
            out[3] = u * u;
            out[4] = u * v;
            out[5] = v * v;
        }
    }

    /** Gaussian elimination with partial pivoting on an augmented matrix; null if singular. */
    private static double[] solve(double[][] a) {
        int n = a.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            if (Math.abs(a[pivot][col]) < 1e-9 * Math.max(1, Math.abs(a[0][0]))) {
                return null;
            }
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                for (int c = col; c <= n; c++) {
                    a[r][c] -= f * a[col][c];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double sum = a[r][n];
            for (int c = r + 1; c < n; c++) {
                sum -= a[r][c] * x[c];
            }
            x[r] = sum / a[r][r];
        }
        return x;
    }
}
