package dev.attentive.attention;

import dev.attentive.api.Attention;

/**
 * The small float loops the plugins share: dot products, matrix-vector products on row-major
 * matrices, masked softmax and its backward, and argument checks. Every method works on explicit
 * offsets and allocates nothing. Stateless; thread safe.
 */
final class DenseOps {
    private DenseOps() {
    }

    /**
     * {@code sum a[ao + i] * b[bo + i]} for {@code i < n}, accumulated in double: as fast as float
     * in this scalar loop, and it keeps the scores' rounding noise low enough for finite-difference
     * checks through softmax and layer norm.
     */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        // Four independent accumulators: one chain of dependent adds is latency-bound.
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += (double) a[ao + i] * b[bo + i];
            s1 += (double) a[ao + i + 1] * b[bo + i + 1];
            s2 += (double) a[ao + i + 2] * b[bo + i + 2];
            s3 += (double) a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < n; i++) {
            s0 += (double) a[ao + i] * b[bo + i];
        }
        return (float) ((s0 + s1) + (s2 + s3));
    }

    /** {@code y[yo + i] += alpha * x[xo + i]}. */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    /** {@code y = W x} for a {@code rows x cols} row-major {@code W} at {@code wo}. */
    static void matVec(float[] w, int wo, int rows, int cols, float[] x, int xo, float[] y, int yo) {
        for (int r = 0; r < rows; r++) {
            y[yo + r] = dot(w, wo + r * cols, x, xo, cols);
        }
    }

    /** {@code dx += W^T dy} for a {@code rows x cols} row-major {@code W} at {@code wo}. */
    static void matTVecAdd(float[] w, int wo, int rows, int cols, float[] dy, int dyo, float[] dx, int dxo) {
        for (int r = 0; r < rows; r++) {
            float g = dy[dyo + r];
            if (g != 0) {
                axpy(g, w, wo + r * cols, dx, dxo, cols);
            }
        }
    }

    /** {@code dW += dy x^T} for a {@code rows x cols} row-major {@code dW} at {@code wo}. */
    static void outerAdd(float[] dw, int wo, int rows, int cols, float[] dy, int dyo, float[] x, int xo) {
        for (int r = 0; r < rows; r++) {
            float g = dy[dyo + r];
            if (g != 0) {
                axpy(g, x, xo, dw, wo + r * cols, cols);
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

    /** Whether entry {@code i} of a mask (null meaning all present) marks a present field. */
    static boolean present(float[] mask, int i) {
        return mask == null || mask[i] != 0;
    }

    /**
     * Softmax of {@code n} scores over the present entries only ({@code mask[mo + i] != 0}, or all
     * when {@code mask} is null); absent entries get 0, and a row with no present entry gets all 0.
     *
     * @return whether any entry was present
     */
    static boolean maskedSoftmax(float[] scores, int so, float[] mask, int mo, int n, float[] out, int oo) {
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
     * Softmax backward: sets {@code ds[i] = w[i] * (dw[i] - sum_j w[j] dw[j])}. Absent entries have
     * {@code w = 0} and so get 0.
     */
    static void softmaxBackward(float[] w, int wo, float[] dw, int dwo, int n, float[] ds, int dso) {
        float mean = dot(w, wo, dw, dwo, n);
        for (int i = 0; i < n; i++) {
            ds[dso + i] = w[wo + i] * (dw[dwo + i] - mean);
        }
    }

    // Double overloads, for field self-attention's forward pass (see there why in double).

    /** {@code sum a[ao + i] * b[bo + i]}. */
    static double dot(double[] a, int ao, double[] b, int bo, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code sum a[ao + i] * b[bo + i]}. */
    static double dot(float[] a, int ao, double[] b, int bo, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code y[yo + i] += alpha * x[xo + i]}. */
    static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    /** {@code y[yo + i] += alpha * x[xo + i]}, into a float accumulator. */
    static void axpy(double alpha, double[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += (float) (alpha * x[xo + i]);
        }
    }

    /** As {@link #maskedSoftmax(float[], int, float[], int, int, float[], int)}, in double. */
    static boolean maskedSoftmax(double[] scores, int so, float[] mask, int mo, int n, double[] out, int oo) {
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

    /** As {@link #softmaxBackward(float[], int, float[], int, int, float[], int)}, in double. */
    static void softmaxBackward(double[] w, int wo, double[] dw, int dwo, int n, double[] ds, int dso) {
        double mean = dot(w, wo, dw, dwo, n);
        for (int i = 0; i < n; i++) {
            ds[dso + i] = w[wo + i] * (dw[dwo + i] - mean);
        }
    }

    /** Checks the arguments of {@link Attention#forward}. */
    static void checkForward(Attention a, String name, float[] fields, float[] mask, int batch) {
        if (batch < 0) {
            throw new IllegalArgumentException(name + ": batch must be >= 0, got " + batch);
        }
        long need = (long) batch * a.fieldCount() * a.dim();
        if (fields == null || fields.length < need) {
            throw new IllegalArgumentException(name + ": fields must hold batch * fieldCount * dim = " + batch + " * "
                    + a.fieldCount() + " * " + a.dim() + " = " + need + " values, got "
                    + (fields == null ? "null" : fields.length));
        }
        if (mask != null && mask.length < (long) batch * a.fieldCount()) {
            throw new IllegalArgumentException(name + ": mask must hold batch * fieldCount = "
                    + (long) batch * a.fieldCount() + " values (or be null), got " + mask.length);
        }
    }

    /** Checks the array arguments of {@link Attention#backward}. */
    static void checkBackward(Attention a, String name, int batch, float[] gradOutput, float[] gradFields) {
        long out = (long) batch * a.outputDim();
        if (gradOutput == null || gradOutput.length < out) {
            throw new IllegalArgumentException(name + ": gradOutput must hold batch * outputDim = " + out
                    + " values, got " + (gradOutput == null ? "null" : gradOutput.length));
        }
        long in = (long) batch * a.fieldCount() * a.dim();
        if (gradFields == null || gradFields.length < in) {
            throw new IllegalArgumentException(name + ": gradFields must hold batch * fieldCount * dim = " + in
                    + " values, got " + (gradFields == null ? "null" : gradFields.length));
        }
    }

    /** The error for a pass that another attention made. */
    static IllegalArgumentException foreignPass(String name, Attention.Pass pass) {
        return new IllegalArgumentException(name + ": backward was given a pass made by another attention ("
                + (pass == null ? "null" : pass.getClass().getName()) + "); pass the Pass returned by this "
                + "instance's forward");
    }
}
