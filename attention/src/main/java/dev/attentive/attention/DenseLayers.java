package dev.attentive.attention;

import dev.attentive.kernels.Vectors;

/**
 * The small dense-layer steps the plugins share, on top of {@link Vectors}: the mask test,
 * {@code tanh}, and matrix-vector products on row-major matrices. Every method works on explicit
 * offsets and allocates nothing. Stateless; thread safe.
 */
final class DenseLayers {
    private DenseLayers() {
    }

    /** Whether entry {@code i} of a mask (null meaning all present) marks a present field. */
    static boolean present(float[] mask, int i) {
        return mask == null || mask[i] != 0;
    }

    /**
     * {@code y = W x} for a {@code rows x cols} row-major {@code W} at {@code wo}, each row by
     * {@link Vectors#dotDoubleAccumulate(float[], int, float[], int, int)}.
     */
    static void matVec(float[] w, int wo, int rows, int cols, float[] x, int xo, float[] y, int yo) {
        for (int r = 0; r < rows; r++) {
            y[yo + r] = Vectors.dotDoubleAccumulate(w, wo + r * cols, x, xo, cols);
        }
    }

    /** {@code dx += W^T dy} for a {@code rows x cols} row-major {@code W} at {@code wo}. */
    static void matTVecAdd(float[] w, int wo, int rows, int cols, float[] dy, int dyo, float[] dx, int dxo) {
        for (int r = 0; r < rows; r++) {
            float g = dy[dyo + r];
            if (g != 0) {
                Vectors.axpy(g, w, wo + r * cols, dx, dxo, cols);
            }
        }
    }

    /** {@code dW += dy x^T} for a {@code rows x cols} row-major {@code dW} at {@code wo}. */
    static void outerAdd(float[] dw, int wo, int rows, int cols, float[] dy, int dyo, float[] x, int xo) {
        for (int r = 0; r < rows; r++) {
            float g = dy[dyo + r];
            if (g != 0) {
                Vectors.axpy(g, x, xo, dw, wo + r * cols, cols);
            }
        }
    }

    /**
     * {@code tanh(x)} rounded to float, through the exp intrinsic: several times faster than
     * {@link Math#tanh} here, and as accurate after rounding: {@code (1 - e) / (1 + e)} with
     * {@code e = exp(-2|x|)} loses about {@code 1e-16 / |x|} relative to cancellation, at most
     * 1e-12 since below {@code |x| = 1e-4} the series {@code x - x^3 / 3} (relative error under
     * {@code x^4 / 7}) is used instead; both are far below float's 6e-8.
     */
    static float tanh(double x) {
        double ax = Math.abs(x);
        if (ax < 1e-4) {
            return (float) (x - x * x * x / 3);
        }
        double e = Math.exp(-2 * ax);
        return (float) Math.copySign((1 - e) / (1 + e), x);
    }
}
