package dev.attentive.model.rank;

import dev.attentive.kernels.ParallelFor;
import dev.attentive.kernels.Vectors;

/**
 * A closed-form item-item regression (EASE, Steck 2019): with {@code X} the binary user-item matrix
 * and {@code P = (X^T X + lambda I)^-1}, the weights are {@code B = I - P diag(1 / diag P)}, that is
 * {@code B[i][j] = -P[i][j] / P[j][j]} off the diagonal and 0 on it; a user with items {@code H}
 * scores item {@code j} as {@code sum over i in H of B[i][j]}. The symmetric positive definite
 * solve is a Cholesky factorisation in double, {@code G = L L^T}, then {@code P = L^-T L^-1}; the
 * inner loops are {@link Vectors} dot products over contiguous rows. Immutable once built; thread safe.
 */
final class ItemRegression {
    private final int n;
    private final float[] weights;

    private ItemRegression(int n, float[] weights) {
        this.n = n;
        this.weights = weights;
    }

    /**
     * The regression with given weights (as a saved model holds them).
     *
     * @param n the catalogue size
     * @param weights {@code n * n} values, row-major ({@code weights[i * n + j]} is item i's weight for
     *     item j); not copied
     * @throws IllegalArgumentException when the length is not {@code n * n}
     */
    static ItemRegression of(int n, float[] weights) {
        if (n < 1 || weights.length != (long) n * n) {
            throw new IllegalArgumentException("the item regression of " + n + " items needs " + (long) n * n
                    + " weights, got " + weights.length);
        }
        return new ItemRegression(n, weights);
    }

    /**
     * Fits the weights.
     *
     * @param n the catalogue size
     * @param userItems each user's distinct item indices
     * @param lambda the ridge penalty, positive
     * @param threads the threads of the inverse
     */
    static ItemRegression fit(int n, int[][] userItems, double lambda, int threads) {
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("lambda must be positive, got " + lambda + "; set e.g. lambda=500");
        }
        double[] g = new double[n * n];
        for (int[] items : userItems) {
            for (int i : items) {
                int row = i * n;
                for (int j : items) {
                    g[row + j] += 1;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            g[i * n + i] += lambda;
        }
        cholesky(g, n);
        // Row c of mt holds column c of M = L^-1 (lower triangular, so entries k >= c only).
        double[] mt = new double[n * n];
        ParallelFor.forEach(n, threads, c -> {
            int base = c * n;
            for (int i = c; i < n; i++) {
                double s = (i == c ? 1 : 0) - Vectors.dotDoubleAccumulate(g, i * n + c, mt, base + c, i - c);
                mt[base + i] = s / g[i * n + i];
            }
        });
        // P[i][j] = sum over k >= max(i, j) of M[k][i] M[k][j]: a dot product of rows i and j of mt.
        double[] diag = new double[n];
        for (int i = 0; i < n; i++) {
            diag[i] = Vectors.dotDoubleAccumulate(mt, i * n + i, mt, i * n + i, n - i);
        }
        float[] b = new float[n * n];
        ParallelFor.forEach(n, threads, i -> {
            for (int j = i + 1; j < n; j++) {
                double p = Vectors.dotDoubleAccumulate(mt, i * n + j, mt, j * n + j, n - j);
                b[i * n + j] = (float) (-p / diag[j]);
                b[j * n + i] = (float) (-p / diag[i]);
            }
        });
        return new ItemRegression(n, b);
    }

    /** In-place lower Cholesky factor of a symmetric positive definite row-major matrix. */
    private static void cholesky(double[] a, int n) {
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j] - Vectors.dotDoubleAccumulate(a, j * n, a, j * n, j);
            if (!(d > 0)) {
                throw new IllegalStateException("The item-item Gram matrix is not positive definite at item " + j
                        + "; raise lambda");
            }
            double l = Math.sqrt(d);
            a[j * n + j] = l;
            for (int i = j + 1; i < n; i++) {
                a[i * n + j] = (a[i * n + j] - Vectors.dotDoubleAccumulate(a, i * n, a, j * n, j)) / l;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                a[i * n + j] = 0;
            }
        }
    }

    /**
     * Scores every item for a history: {@code out[j] = sum over i in history of B[i][j]}, the rows
     * added in history order.
     */
    void score(int[] history, float[] out) {
        java.util.Arrays.fill(out, 0, n, 0f);
        float[] w = weights;
        int h = 0;
        // Four rows per pass over out (a request's hot spot: one row of n floats per history item).
        // Each element still adds the rows one by one in history order, so the sums are bit for bit
        // those of one row at a time, with a quarter of the loads and stores of out.
        for (; h + 3 < history.length; h += 4) {
            int a = history[h] * n;
            int b = history[h + 1] * n;
            int c = history[h + 2] * n;
            int d = history[h + 3] * n;
            for (int j = 0; j < n; j++) {
                out[j] = out[j] + w[a + j] + w[b + j] + w[c + j] + w[d + j];
            }
        }
        for (; h < history.length; h++) {
            Vectors.axpy(1f, w, history[h] * n, out, 0, n);
        }
    }

    int size() {
        return n;
    }

    /** The weights, row-major, {@code size() * size()} values; not a copy (do not modify). */
    float[] weights() {
        return weights;
    }

    /** The weight of item {@code i} for item {@code j} (for tests). */
    float weight(int i, int j) {
        return weights[i * n + j];
    }
}
