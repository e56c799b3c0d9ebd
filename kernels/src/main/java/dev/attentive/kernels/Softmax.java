package dev.attentive.kernels;

/**
 * Softmax forward and backward over slices, masked (the attention plugins' weights over present
 * fields) and as the two in-place steps of a row-wise softmax over logits ({@link #affineMax}, then
 * {@link #expShifted}: the two-tower model's in-batch loss).
 *
 * <p>Static, stateless and thread safe; allocation-free. Masks are float arrays where a non-zero
 * entry marks a present element; a null mask means every element is present. Arrays other than masks
 * must not be null.
 *
 * @since 0.2.0
 */
public final class Softmax {
    private Softmax() {
    }

    /**
     * Softmax of {@code n} float scores over the present entries only: the maximum in float, then
     * {@code exp(score - max)} and its sum in double, each weight rounded to float once. Absent entries
     * get 0, and a row with no present entry gets all 0.
     *
     * @param scores the scores
     * @param so where they start in {@code scores}
     * @param mask the mask, or null for all present
     * @param mo where the mask starts in {@code mask}
     * @param n how many scores
     * @param out receives the {@code n} weights
     * @param oo where they start in {@code out}
     * @return whether any entry was present
     * @since 0.2.0
     */
    public static boolean maskedForward(float[] scores, int so, float[] mask, int mo, int n, float[] out, int oo) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (present(mask, mo + i) && scores[so + i] > max) {
                max = scores[so + i];
            }
        }
        if (max == Float.NEGATIVE_INFINITY) {
            for (int i = 0; i < n; i++) {
                out[oo + i] = 0f;
            }
            return false;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (present(mask, mo + i)) {
                sum += Math.exp((double) scores[so + i] - max);
            }
        }
        double inv = 1 / sum;
        for (int i = 0; i < n; i++) {
            out[oo + i] = present(mask, mo + i) ? (float) (Math.exp((double) scores[so + i] - max) * inv) : 0f;
        }
        return true;
    }

    /**
     * As {@link #maskedForward(float[], int, float[], int, int, float[], int)}, in double throughout.
     *
     * @param scores the scores
     * @param so where they start in {@code scores}
     * @param mask the mask, or null for all present
     * @param mo where the mask starts in {@code mask}
     * @param n how many scores
     * @param out receives the {@code n} weights
     * @param oo where they start in {@code out}
     * @return whether any entry was present
     * @since 0.2.0
     */
    public static boolean maskedForward(double[] scores, int so, float[] mask, int mo, int n, double[] out, int oo) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (present(mask, mo + i) && scores[so + i] > max) {
                max = scores[so + i];
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            for (int i = 0; i < n; i++) {
                out[oo + i] = 0;
            }
            return false;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = present(mask, mo + i) ? Math.exp(scores[so + i] - max) : 0;
            out[oo + i] = e;
            sum += e;
        }
        double inv = 1 / sum;
        for (int i = 0; i < n; i++) {
            out[oo + i] *= inv;
        }
        return true;
    }

    /**
     * Softmax backward: sets {@code ds[i] = w[i] * (dw[i] - sum_j w[j] dw[j])}, the sum by
     * {@link Vectors#dotDoubleAccumulate(float[], int, float[], int, int)}. Masked-out entries have
     * {@code w = 0} and so get 0.
     *
     * @param w the forward weights
     * @param wo where they start in {@code w}
     * @param dw the gradient with respect to the weights
     * @param dwo where it starts in {@code dw}
     * @param n how many entries
     * @param ds receives the gradient with respect to the scores
     * @param dso where it starts in {@code ds}
     * @since 0.2.0
     */
    public static void backward(float[] w, int wo, float[] dw, int dwo, int n, float[] ds, int dso) {
        float mean = Vectors.dotDoubleAccumulate(w, wo, dw, dwo, n);
        for (int i = 0; i < n; i++) {
            ds[dso + i] = w[wo + i] * (dw[dwo + i] - mean);
        }
    }

    /**
     * As {@link #backward(float[], int, float[], int, int, float[], int)}, in double (the sum by
     * {@link Vectors#dotDoubleAccumulate(double[], int, double[], int, int)}).
     *
     * @param w the forward weights
     * @param wo where they start in {@code w}
     * @param dw the gradient with respect to the weights
     * @param dwo where it starts in {@code dw}
     * @param n how many entries
     * @param ds receives the gradient with respect to the scores
     * @param dso where it starts in {@code ds}
     * @since 0.2.0
     */
    public static void backward(double[] w, int wo, double[] dw, int dwo, int n, double[] ds, int dso) {
        double mean = Vectors.dotDoubleAccumulate(w, wo, dw, dwo, n);
        for (int i = 0; i < n; i++) {
            ds[dso + i] = w[wo + i] * (dw[dwo + i] - mean);
        }
    }

    /**
     * The first step of a row softmax over logits: replaces {@code x[off + j]} by
     * {@code scale * x[off + j] - shift[j]} (each a float product rounded before the subtraction) and
     * returns the largest result.
     *
     * @param x the logits, rewritten in place
     * @param off where the row starts in {@code x}
     * @param n the row length
     * @param scale the factor (an inverse temperature)
     * @param shift per-column values to subtract (such as a log-frequency correction), from index 0;
     *     null for none
     * @return the largest rewritten value ({@code -Infinity} for {@code n == 0})
     * @since 0.2.0
     */
    public static float affineMax(float[] x, int off, int n, float scale, float[] shift) {
        if (VectorSupport.ENABLED) {
            return VectorOps.affineMax(x, off, n, scale, shift);
        }
        return affineMaxScalar(x, off, n, scale, shift);
    }

    /** The scalar path of {@link #affineMax} (tests compare the two). */
    static float affineMaxScalar(float[] x, int off, int n, float scale, float[] shift) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            float z = scale * x[off + j] - (shift == null ? 0f : shift[j]);
            x[off + j] = z;
            max = Math.max(max, z);
        }
        return max;
    }

    /**
     * The second step: replaces {@code x[off..off+n)} by {@code exp(x - max)} and returns their sum in
     * float. Without the Vector API: {@code (float) Math.exp}, summed in order. With it: a
     * deterministic polynomial exponential (Cephes' single-precision one, about 1 ulp; 0 below -87)
     * built from basic IEEE operations, so that a training run gives the same numbers however the JIT
     * compiles it, summed per lane, the lanes added in order, then the remaining elements.
     *
     * @param x the shifted logits, rewritten in place
     * @param off where the row starts in {@code x}
     * @param n the row length
     * @param max the value subtracted before exponentiation (normally {@link #affineMax}'s result)
     * @return the sum of the exponentials
     * @since 0.2.0
     */
    public static float expShifted(float[] x, int off, int n, float max) {
        if (VectorSupport.ENABLED) {
            return VectorOps.expShifted(x, off, n, max);
        }
        return expShiftedScalar(x, off, n, max);
    }

    /** The scalar path of {@link #expShifted} (tests compare the two). */
    static float expShiftedScalar(float[] x, int off, int n, float max) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            s += e;
        }
        return s;
    }

    private static boolean present(float[] mask, int i) {
        return mask == null || mask[i] != 0;
    }
}
