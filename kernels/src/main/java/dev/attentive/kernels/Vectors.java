package dev.attentive.kernels;

/**
 * Level-1 kernels on {@code float[]} and {@code double[]} slices given by an offset and a length:
 * dot products, axpy, scaling, finiteness and threshold scans, and transposes.
 *
 * <p>The accumulation is part of each method's name, because callers' results (and trained models)
 * depend on it bit for bit:
 * <ul>
 *   <li>{@code dot}, {@code axpy}: scalar loops in the element type on every path;
 *   <li>{@code dotDoubleAccumulate}: scalar, summed in {@code double};
 *   <li>{@code dotLanes}, {@code axpyLanes}: fused multiply-adds across the Vector API's lanes when
 *       {@link VectorSupport#enabled()}, otherwise the scalar loops named in each method.
 * </ul>
 *
 * <p>All methods are static, stateless, allocation-free and thread safe (callers own their arrays).
 * Arrays must not be null and the slices must lie inside them, else an
 * {@link ArrayIndexOutOfBoundsException} or {@link NullPointerException} is thrown; lengths are
 * element counts.
 *
 * @since 0.2.0
 */
public final class Vectors {
    private Vectors() {
    }

    /**
     * {@code sum a[aOff + i] * b[bOff + i]} for {@code i < n}, in float on every path: four float
     * accumulators over {@code i mod 4}, combined as {@code (s0 + s1) + (s2 + s3)}, each product
     * rounded before it is added (no FMA).
     *
     * @param a the first vector
     * @param aOff where it starts in {@code a}
     * @param b the second vector
     * @param bOff where it starts in {@code b}
     * @param n the length, at least 0
     * @return the dot product (0 for {@code n == 0})
     * @since 0.2.0
     */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * {@code sum a[aOff + i] * b[bOff + i]} for {@code i < n}, accumulated in double on every path
     * (four accumulators over {@code i mod 4}, combined as {@code (s0 + s1) + (s2 + s3)}) and rounded
     * to float once: as fast as float in this scalar loop, with rounding noise low enough for
     * finite-difference gradient checks through softmax and layer norm.
     *
     * @param a the first vector
     * @param aOff where it starts in {@code a}
     * @param b the second vector
     * @param bOff where it starts in {@code b}
     * @param n the length, at least 0
     * @return the dot product rounded to float
     * @since 0.2.0
     */
    public static float dotDoubleAccumulate(float[] a, int aOff, float[] b, int bOff, int n) {
        // Four independent accumulators: one chain of dependent adds is latency-bound.
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += (double) a[aOff + i] * b[bOff + i];
            s1 += (double) a[aOff + i + 1] * b[bOff + i + 1];
            s2 += (double) a[aOff + i + 2] * b[bOff + i + 2];
            s3 += (double) a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < n; i++) {
            s0 += (double) a[aOff + i] * b[bOff + i];
        }
        return (float) ((s0 + s1) + (s2 + s3));
    }

    /**
     * {@code sum a[aOff + i] * b[bOff + i]} for {@code i < n} in double on every path, with the four
     * accumulators of {@link #dotDoubleAccumulate(float[], int, float[], int, int)}.
     *
     * @param a the first vector
     * @param aOff where it starts in {@code a}
     * @param b the second vector
     * @param bOff where it starts in {@code b}
     * @param n the length, at least 0
     * @return the dot product
     * @since 0.2.0
     */
    public static double dotDoubleAccumulate(double[] a, int aOff, double[] b, int bOff, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * {@code sum a[aOff + i] * b[bOff + i]} for {@code i < n} of a float and a double vector, in double
     * on every path, with the four accumulators of
     * {@link #dotDoubleAccumulate(float[], int, float[], int, int)}.
     *
     * @param a the float vector
     * @param aOff where it starts in {@code a}
     * @param b the double vector
     * @param bOff where it starts in {@code b}
     * @param n the length, at least 0
     * @return the dot product
     * @since 0.2.0
     */
    public static double dotDoubleAccumulate(float[] a, int aOff, double[] b, int bOff, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * {@code sum a[aOff + i] * b[bOff + i]} for {@code i < n}, for short products in backward passes
     * where float rounding is harmless. With the Vector API: float fused multiply-adds in one
     * accumulator per lane over whole vectors, the lanes then summed in lane order (the same sum on
     * every run, interpreted or compiled, unlike {@code reduceLanes(ADD)}), then the remaining
     * elements added in float. Without it: exactly
     * {@link #dotDoubleAccumulate(float[], int, float[], int, int)} (double accumulation).
     *
     * @param a the first vector
     * @param aOff where it starts in {@code a}
     * @param b the second vector
     * @param bOff where it starts in {@code b}
     * @param n the length, at least 0
     * @return the dot product
     * @since 0.2.0
     */
    public static float dotLanes(float[] a, int aOff, float[] b, int bOff, int n) {
        return VectorSupport.ENABLED ? VectorOps.dot(a, aOff, b, bOff, n) : dotDoubleAccumulate(a, aOff, b, bOff, n);
    }

    /**
     * {@code sum a[aOff + i] * b[bOff + i]} for {@code i < n} in double. With the Vector API: fused
     * multiply-adds in one accumulator per lane, the lanes summed in lane order, then the
     * remaining elements; without it: exactly {@link #dotDoubleAccumulate(double[], int, double[], int, int)}.
     *
     * @param a the first vector
     * @param aOff where it starts in {@code a}
     * @param b the second vector
     * @param bOff where it starts in {@code b}
     * @param n the length, at least 0
     * @return the dot product
     * @since 0.2.0
     */
    public static double dotLanes(double[] a, int aOff, double[] b, int bOff, int n) {
        return VectorSupport.ENABLED ? VectorOps.dot(a, aOff, b, bOff, n) : dotDoubleAccumulate(a, aOff, b, bOff, n);
    }

    /**
     * {@code y[yOff + i] += alpha * x[xOff + i]} for {@code i < n}, on every path as a float product
     * rounded before the add (no FMA).
     *
     * @param alpha the scale
     * @param x the added vector
     * @param xOff where it starts in {@code x}
     * @param y the updated vector
     * @param yOff where it starts in {@code y}
     * @param n the length, at least 0
     * @since 0.2.0
     */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /**
     * {@code y[yOff + i] += alpha * x[xOff + i]} for {@code i < n} in double on every path (no FMA).
     *
     * @param alpha the scale
     * @param x the added vector
     * @param xOff where it starts in {@code x}
     * @param y the updated vector
     * @param yOff where it starts in {@code y}
     * @param n the length, at least 0
     * @since 0.2.0
     */
    public static void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /**
     * {@code y[yOff + i] += (float) (alpha * x[xOff + i])} for {@code i < n}: a double vector added into
     * a float accumulator, the product rounded to float before the add.
     *
     * @param alpha the scale
     * @param x the added vector
     * @param xOff where it starts in {@code x}
     * @param y the updated float vector
     * @param yOff where it starts in {@code y}
     * @param n the length, at least 0
     * @since 0.2.0
     */
    public static void axpy(double alpha, double[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += (float) (alpha * x[xOff + i]);
        }
    }

    /**
     * {@code y[yOff + i] += alpha * x[xOff + i]} for {@code i < n}: with the Vector API one fused
     * multiply-add per element over whole vectors and the rest as {@link #axpy(float, float[], int,
     * float[], int, int)}; without it exactly that method.
     *
     * @param alpha the scale
     * @param x the added vector
     * @param xOff where it starts in {@code x}
     * @param y the updated vector
     * @param yOff where it starts in {@code y}
     * @param n the length, at least 0
     * @since 0.2.0
     */
    public static void axpyLanes(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        if (VectorSupport.ENABLED) {
            VectorOps.axpy(alpha, x, xOff, y, yOff, n);
        } else {
            axpy(alpha, x, xOff, y, yOff, n);
        }
    }

    /**
     * {@code y[yOff + d] += sum_i w[wOff + i * wStride] * x[xOff + i * xStride + d]} for {@code d < n},
     * the terms added in order {@code i = 0 .. m - 1}: a short weighted sum of {@code m} rows into
     * one, such as an attention's values weighed by its probabilities. It gives exactly what {@code m}
     * calls of {@link #axpyLanes(float, float[], int, float[], int, int)} in that order give (one fused
     * multiply-add per term with the Vector API, a product rounded before the add without it), but
     * keeps the partial sums in registers, so {@code y} is read and written once instead of {@code m}
     * times. Terms with a zero weight are added too ({@code 0 * x}), so the rows must be finite.
     *
     * @param w the weights
     * @param wOff where the first weight is in {@code w}
     * @param wStride the distance between consecutive weights
     * @param m how many rows, at least 0
     * @param x the rows
     * @param xOff where the first row starts in {@code x}
     * @param xStride the distance between consecutive rows
     * @param y the updated vector
     * @param yOff where it starts in {@code y}
     * @param n the length of each row, at least 0
     * @since 0.2.0
     */
    public static void combineLanes(float[] w, int wOff, int wStride, int m, float[] x, int xOff, int xStride,
            float[] y, int yOff, int n) {
        if (VectorSupport.ENABLED) {
            VectorOps.combine(w, wOff, wStride, m, x, xOff, xStride, y, yOff, n);
        } else {
            for (int i = 0; i < m; i++) {
                axpy(w[wOff + i * wStride], x, xOff + i * xStride, y, yOff, n);
            }
        }
    }

    /**
     * The double version of {@link #axpyLanes(float, float[], int, float[], int, int)}; without the
     * Vector API exactly {@link #axpy(double, double[], int, double[], int, int)}.
     *
     * @param alpha the scale
     * @param x the added vector
     * @param xOff where it starts in {@code x}
     * @param y the updated vector
     * @param yOff where it starts in {@code y}
     * @param n the length, at least 0
     * @since 0.2.0
     */
    public static void axpyLanes(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
        if (VectorSupport.ENABLED) {
            VectorOps.axpy(alpha, x, xOff, y, yOff, n);
        } else {
            axpy(alpha, x, xOff, y, yOff, n);
        }
    }

    /**
     * {@code x[off + i] = bit(bitOff + i) ? x[off + i] * scale : 0} for {@code i < n}, where
     * {@code bit(k)} is bit {@code k & 63} of {@code bits[k >>> 6]}: inverted dropout from a packed
     * keep mask. Exact on every path (one rounded product per kept element), so the vector path (masked
     * lanes, with the Vector API) gives the scalar loop's results bit for bit.
     *
     * @param x the vector, changed in place
     * @param off where it starts in {@code x}
     * @param n the length, at least 0
     * @param bits the packed mask, holding bits {@code [bitOff, bitOff + n)}
     * @param bitOff the mask bit of {@code x[off]}, at least 0
     * @param scale the factor of kept elements
     * @since 0.2.0
     */
    public static void keepMasked(float[] x, int off, int n, long[] bits, long bitOff, float scale) {
        if (VectorSupport.ENABLED) {
            VectorOps.keepMasked(x, off, n, bits, bitOff, scale);
        } else {
            keepMaskedScalar(x, off, n, bits, bitOff, scale, 0);
        }
    }

    static void keepMaskedScalar(float[] x, int off, int n, long[] bits, long bitOff, float scale, int from) {
        for (int i = from; i < n; i++) {
            long k = bitOff + i;
            x[off + i] = (bits[(int) (k >>> 6)] >>> k & 1L) != 0 ? x[off + i] * scale : 0f;
        }
    }

    /**
     * {@code y[yOff + i] += alpha * x[xOff + i]} for each {@code i < n} whose mask bit
     * {@code bit(bitOff + i)} is set (see {@link #keepMasked}); the others are left alone. The product
     * is rounded before the add (no FMA) on every path, so the vector path gives the scalar loop's
     * results bit for bit.
     *
     * @param alpha the scale
     * @param x the added vector
     * @param xOff where it starts in {@code x}
     * @param y the updated vector
     * @param yOff where it starts in {@code y}
     * @param n the length, at least 0
     * @param bits the packed mask, holding bits {@code [bitOff, bitOff + n)}
     * @param bitOff the mask bit of {@code x[xOff]}, at least 0
     * @since 0.2.0
     */
    public static void axpyMasked(float alpha, float[] x, int xOff, float[] y, int yOff, int n, long[] bits,
            long bitOff) {
        if (VectorSupport.ENABLED) {
            VectorOps.axpyMasked(alpha, x, xOff, y, yOff, n, bits, bitOff);
        } else {
            axpyMaskedScalar(alpha, x, xOff, y, yOff, n, bits, bitOff, 0);
        }
    }

    static void axpyMaskedScalar(float alpha, float[] x, int xOff, float[] y, int yOff, int n, long[] bits,
            long bitOff, int from) {
        for (int i = from; i < n; i++) {
            long k = bitOff + i;
            if ((bits[(int) (k >>> 6)] >>> k & 1L) != 0) {
                y[yOff + i] += alpha * x[xOff + i];
            }
        }
    }

    /**
     * {@code x[off + i] *= alpha} for {@code i < n}.
     *
     * @param x the vector, scaled in place
     * @param off where it starts
     * @param n the length, at least 0
     * @param alpha the scale
     * @since 0.2.0
     */
    public static void scale(float[] x, int off, int n, float alpha) {
        for (int i = 0; i < n; i++) {
            x[off + i] *= alpha;
        }
    }

    /**
     * Whether {@code v[0..n)} holds no NaN and no infinity.
     *
     * @param v the values
     * @param n how many to check from the start, at most {@code v.length}
     * @return true when every checked value is finite (also for {@code n == 0})
     * @since 0.2.0
     */
    public static boolean allFinite(float[] v, int n) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(v[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the indices {@code from <= i < to} with {@code x[i] >= cut} into {@code out}, ascending.
     * NaN values are never collected. Vectorised compare-and-mask when {@link VectorSupport#enabled()};
     * both paths give the same indices.
     *
     * @param x the values
     * @param from the first index scanned
     * @param to one past the last index scanned
     * @param cut the threshold, inclusive
     * @param out receives the indices; needs room for {@code to - from} in the worst case
     * @return how many indices were written
     * @since 0.2.0
     */
    public static int collectAtLeast(float[] x, int from, int to, float cut, int[] out) {
        if (VectorSupport.ENABLED) {
            return VectorOps.collectAtLeast(x, from, to, cut, out);
        }
        return collectAtLeastScalar(x, from, to, cut, out);
    }

    /** The scalar path of {@link #collectAtLeast} (tests compare the two). */
    static int collectAtLeastScalar(float[] x, int from, int to, float cut, int[] out) {
        int count = 0;
        for (int i = from; i < to; i++) {
            if (x[i] >= cut) {
                out[count++] = i;
            }
        }
        return count;
    }

    /**
     * {@code out[outOff + c * ldOut + r] = in[inOff + r * cols + c]}: writes the transpose of a dense
     * row-major {@code rows x cols} matrix into a matrix of row stride {@code ldOut}.
     *
     * @param in the matrix, rows packed ({@code cols} apart)
     * @param inOff where it starts in {@code in}
     * @param rows its rows
     * @param cols its columns
     * @param out receives the {@code cols x rows} transpose
     * @param outOff where it starts in {@code out}
     * @param ldOut the row stride of {@code out}, at least {@code rows}
     * @since 0.2.0
     */
    public static void transpose(float[] in, int inOff, int rows, int cols, float[] out, int outOff, int ldOut) {
        for (int r = 0; r < rows; r++) {
            int row = inOff + r * cols;
            for (int c = 0; c < cols; c++) {
                out[outOff + c * ldOut + r] = in[row + c];
            }
        }
    }

    /**
     * As {@link #transpose(float[], int, int, int, float[], int, int)}, widening to a double matrix.
     *
     * @param in the matrix, rows packed ({@code cols} apart)
     * @param inOff where it starts in {@code in}
     * @param rows its rows
     * @param cols its columns
     * @param out receives the {@code cols x rows} transpose
     * @param outOff where it starts in {@code out}
     * @param ldOut the row stride of {@code out}, at least {@code rows}
     * @since 0.2.0
     */
    public static void transpose(float[] in, int inOff, int rows, int cols, double[] out, int outOff, int ldOut) {
        for (int r = 0; r < rows; r++) {
            int row = inOff + r * cols;
            for (int c = 0; c < cols; c++) {
                out[outOff + c * ldOut + r] = in[row + c];
            }
        }
    }
}
