package dev.attentive.kernels;

import java.util.Arrays;

/**
 * Matrix products {@code C (+)= A . B} on row-major arrays with explicit offsets and strides, in float
 * and in double.
 *
 * <p>One strided entry, {@link #gemm(int, int, int, float[], int, int, int, float[], int, int, float[],
 * int, int, boolean, ScalarOrder)}, takes A's element {@code (i, p)} at {@code aOff + i * ars + p * acs},
 * so that {@code A} and {@code A^T} are the same call; {@link #gemmNN}, {@link #gemmTN} and
 * {@link #gemmNT} are shorthands for the common layouts. Each product either overwrites C
 * ({@code accumulate == false}) or adds into it.
 *
 * <p>Rounding. With the Vector API ({@link VectorSupport#enabled()}) every element of C is one chain
 * of float fused multiply-adds in order of {@code p}, starting from C's value (or 0), except the last
 * {@code n mod lanes} columns, which run on the scalar loops. Those loops order the rounding as the
 * {@link ScalarOrder} says; pick the order your results were produced with and keep it.
 *
 * <p>Thread safety: static and stateless except for {@link #gemmNT}'s per-thread transpose buffer, so
 * concurrent calls on disjoint outputs are safe. Arrays must not be null; dimensions are element
 * counts, at least 0; C must not overlap A or B.
 *
 * @since 0.2.0
 */
public final class Gemm {
    /**
     * How the scalar loops (without the Vector API, and for C's last {@code n mod lanes} columns with
     * it) order a float product's rounding. Both are deterministic; they differ in the last bits.
     *
     * @since 0.2.0
     */
    public enum ScalarOrder {
        /**
         * i-p-j loops: {@code C[i][j] += A[i][p] * B[p][j]}, each product rounded and added into C in
         * order of {@code p}; terms with {@code A[i][p] == 0} are skipped. The two-tower model's order.
         *
         * @since 0.2.0
         */
        ROW_STREAMING,
        /**
         * A and B^T packed, each element of C summed from 0 in a register (4 x 2 tiles of C, in float,
         * in order of {@code p}) and added into C once; rows left over after the tiles are summed with
         * {@link Vectors#dotDoubleAccumulate(float[], int, float[], int, int)}. The attention plugins'
         * order. Allocates the packed copies on every call.
         *
         * @since 0.2.0
         */
        REGISTER_TILED
    }

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    private Gemm() {
    }

    /**
     * {@code C[m x n] (+)= A[m x k] . B[k x n]} with A's element {@code (i, p)} at
     * {@code aOff + i * ars + p * acs}, B's element {@code (p, j)} at {@code bOff + p * ldb + j} and
     * C's element {@code (i, j)} at {@code cOff + i * ldc + j}.
     *
     * @param m the rows of C
     * @param n the columns of C
     * @param k the shared dimension
     * @param a the left matrix
     * @param aOff where it starts in {@code a}
     * @param ars A's row stride ({@code k} or more for row-major A, 1 for a transposed one)
     * @param acs A's column stride (1 for row-major A, the row stride of the stored {@code A^T} otherwise)
     * @param b the right matrix, row-major
     * @param bOff where it starts in {@code b}
     * @param ldb B's row stride, at least {@code n}
     * @param c the result, row-major
     * @param cOff where it starts in {@code c}
     * @param ldc C's row stride, at least {@code n}
     * @param accumulate whether to add into C rather than overwrite it
     * @param order how the scalar loops round (see {@link ScalarOrder}); not null
     * @since 0.2.0
     */
    public static void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate, ScalarOrder order) {
        gemm(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, accumulate, order, VectorSupport.ENABLED);
    }

    /**
     * {@code C[m x n] (+)= A[m x k] . B[k x n]}, all row-major, in {@link ScalarOrder#ROW_STREAMING} order.
     *
     * @param m the rows of C
     * @param n the columns of C
     * @param k the shared dimension
     * @param a the left matrix
     * @param aOff where it starts in {@code a}
     * @param lda A's row stride, at least {@code k}
     * @param b the right matrix
     * @param bOff where it starts in {@code b}
     * @param ldb B's row stride, at least {@code n}
     * @param c the result
     * @param cOff where it starts in {@code c}
     * @param ldc C's row stride, at least {@code n}
     * @param accumulate whether to add into C rather than overwrite it
     * @since 0.2.0
     */
    public static void gemmNN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        gemm(m, n, k, a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc, accumulate, ScalarOrder.ROW_STREAMING);
    }

    /**
     * {@code C[m x n] (+)= A[k x m]^T . B[k x n]} (a weight gradient: a sum over the {@code k} rows of a
     * batch), in {@link ScalarOrder#ROW_STREAMING} order.
     *
     * @param m the rows of C (columns of the stored A)
     * @param n the columns of C
     * @param k the shared dimension (rows of the stored A)
     * @param a the stored {@code k x m} matrix
     * @param aOff where it starts in {@code a}
     * @param lda the stored A's row stride, at least {@code m}
     * @param b the right matrix
     * @param bOff where it starts in {@code b}
     * @param ldb B's row stride, at least {@code n}
     * @param c the result
     * @param cOff where it starts in {@code c}
     * @param ldc C's row stride, at least {@code n}
     * @param accumulate whether to add into C rather than overwrite it
     * @since 0.2.0
     */
    public static void gemmTN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        gemm(m, n, k, a, aOff, 1, lda, b, bOff, ldb, c, cOff, ldc, accumulate, ScalarOrder.ROW_STREAMING);
    }

    /**
     * {@code C[m x n] (+)= A[m x k] . B[n x k]^T}. For {@code m < 4} each element is
     * {@link Vectors#dot(float[], int, float[], int, int)} (added into C when accumulating); otherwise B
     * is transposed into a per-thread buffer (grown as needed, kept for the thread's life) and the
     * product computed as {@link #gemmNN}, which is faster than {@code m * n} short dot products.
     *
     * @param m the rows of C
     * @param n the columns of C (rows of the stored B)
     * @param k the shared dimension
     * @param a the left matrix
     * @param aOff where it starts in {@code a}
     * @param lda A's row stride, at least {@code k}
     * @param b the stored {@code n x k} matrix
     * @param bOff where it starts in {@code b}
     * @param ldb the stored B's row stride, at least {@code k}
     * @param c the result
     * @param cOff where it starts in {@code c}
     * @param ldc C's row stride, at least {@code n}
     * @param accumulate whether to add into C rather than overwrite it
     * @since 0.2.0
     */
    public static void gemmNT(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        if (m < 4) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = Vectors.dot(a, aOff + i * lda, b, bOff + j * ldb, k);
                    int at = cOff + i * ldc + j;
                    c[at] = accumulate ? c[at] + s : s;
                }
            }
            return;
        }
        float[][] holder = SCRATCH.get();
        if (holder[0].length < k * n) {
            holder[0] = new float[k * n];
        }
        float[] bt = holder[0];
        for (int j = 0; j < n; j++) {
            int row = bOff + j * ldb;
            for (int p = 0; p < k; p++) {
                bt[p * n + j] = b[row + p];
            }
        }
        gemm(m, n, k, a, aOff, lda, 1, bt, 0, n, c, cOff, ldc, accumulate, ScalarOrder.ROW_STREAMING);
    }

    /**
     * {@code C[m x n] (+)= A[m x k] . B[k x n]} in double, all row-major. With the Vector API each
     * element of C whose column is below {@code n - n mod (2 * lanes)} is a chain of double fused
     * multiply-adds in order of {@code p}; the other columns, and every column without the Vector API,
     * are summed from 0 in registers (4 x 2 tiles of C; leftover rows and columns with
     * {@link Vectors#dotDoubleAccumulate(double[], int, double[], int, int)}) and added into C once.
     * Allocates a packed copy of B for the scalar loops.
     *
     * @param m the rows of C
     * @param n the columns of C
     * @param k the shared dimension
     * @param a the left matrix
     * @param aOff where it starts in {@code a}
     * @param lda A's row stride, at least {@code k}
     * @param b the right matrix
     * @param bOff where it starts in {@code b}
     * @param ldb B's row stride, at least {@code n}
     * @param c the result
     * @param cOff where it starts in {@code c}
     * @param ldc C's row stride, at least {@code n}
     * @param accumulate whether to add into C rather than overwrite it
     * @since 0.2.0
     */
    public static void gemmNN(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
            double[] c, int cOff, int ldc, boolean accumulate) {
        gemmNN(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, VectorSupport.ENABLED);
    }

    /** The float product on the given path (tests compare the two). */
    static void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate, ScalarOrder order, boolean vector) {
        if (order == null) {
            throw new NullPointerException("order: pass Gemm.ScalarOrder.ROW_STREAMING or REGISTER_TILED");
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
        }
        if (k == 0) {
            return;
        }
        if (vector) {
            VectorGemm.gemm(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, order);
        } else {
            scalar(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, order);
        }
    }

    /** The scalar float product, adding into C, in the given order. */
    static void scalar(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, ScalarOrder order) {
        if (order == ScalarOrder.ROW_STREAMING) {
            rowStreaming(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
        } else {
            registerTiled(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
        }
    }

    /** i-p-j order so that the inner loop streams rows of B and C. */
    private static void rowStreaming(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff,
            int ldb, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * ldc;
            for (int p = 0; p < k; p++) {
                float av = a[aOff + i * ars + p * acs];
                if (av == 0) {
                    continue;
                }
                int bRow = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += av * b[bRow + j];
                }
            }
        }
    }

    /**
     * HotSpot (JDK 25) does not vectorise the textbook i-p-j loop {@code c[cRow + j] += av * b[bRow + j]}:
     * C and B might be one array at different offsets. So A and B^T are packed into contiguous rows,
     * and each 4 x 2 block of C is eight independent multiply-add chains along the shared dimension.
     */
    private static void registerTiled(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff,
            int ldb, float[] c, int cOff, int ldc) {
        float[] ap = new float[m * k];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                ap[i * k + p] = a[aOff + i * ars + p * acs];
            }
        }
        float[] bt = new float[n * k];
        for (int p = 0; p < k; p++) {
            int bRow = bOff + p * ldb;
            for (int j = 0; j < n; j++) {
                bt[j * k + p] = b[bRow + j];
            }
        }
        int i = 0;
        for (; i + 3 < m; i += 4) {
            int a0 = i * k;
            int a1 = a0 + k;
            int a2 = a1 + k;
            int a3 = a2 + k;
            int j = 0;
            for (; j + 1 < n; j += 2) {
                int b0 = j * k;
                int b1 = b0 + k;
                float s00 = 0;
                float s01 = 0;
                float s10 = 0;
                float s11 = 0;
                float s20 = 0;
                float s21 = 0;
                float s30 = 0;
                float s31 = 0;
                for (int p = 0; p < k; p++) {
                    float y0 = bt[b0 + p];
                    float y1 = bt[b1 + p];
                    float x0 = ap[a0 + p];
                    float x1 = ap[a1 + p];
                    float x2 = ap[a2 + p];
                    float x3 = ap[a3 + p];
                    s00 += x0 * y0;
                    s01 += x0 * y1;
                    s10 += x1 * y0;
                    s11 += x1 * y1;
                    s20 += x2 * y0;
                    s21 += x2 * y1;
                    s30 += x3 * y0;
                    s31 += x3 * y1;
                }
                int c0 = cOff + i * ldc + j;
                c[c0] += s00;
                c[c0 + 1] += s01;
                c[c0 + ldc] += s10;
                c[c0 + ldc + 1] += s11;
                c[c0 + 2 * ldc] += s20;
                c[c0 + 2 * ldc + 1] += s21;
                c[c0 + 3 * ldc] += s30;
                c[c0 + 3 * ldc + 1] += s31;
            }
            for (; j < n; j++) {
                int b0 = j * k;
                float s0 = 0;
                float s1 = 0;
                float s2 = 0;
                float s3 = 0;
                for (int p = 0; p < k; p++) {
                    float y = bt[b0 + p];
                    s0 += ap[a0 + p] * y;
                    s1 += ap[a1 + p] * y;
                    s2 += ap[a2 + p] * y;
                    s3 += ap[a3 + p] * y;
                }
                int c0 = cOff + i * ldc + j;
                c[c0] += s0;
                c[c0 + ldc] += s1;
                c[c0 + 2 * ldc] += s2;
                c[c0 + 3 * ldc] += s3;
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[cOff + i * ldc + j] += Vectors.dotDoubleAccumulate(ap, i * k, bt, j * k, k);
            }
        }
    }

    /** The double product on the given path (tests compare the two). */
    static void gemmNN(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c,
            int cOff, int ldc, boolean accumulate, boolean vector) {
        if (m == 0 || n == 0) {
            return;
        }
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0);
            }
        }
        if (k == 0) {
            return;
        }
        if (vector) {
            VectorGemm.gemm(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        } else {
            scalar(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }
    }

    /** The scalar double product, adding into C, blocked as {@link ScalarOrder#REGISTER_TILED}. */
    static void scalar(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
            double[] c, int cOff, int ldc) {
        double[] bt = new double[n * k];
        for (int p = 0; p < k; p++) {
            int bRow = bOff + p * ldb;
            for (int j = 0; j < n; j++) {
                bt[j * k + p] = b[bRow + j];
            }
        }
        int i = 0;
        for (; i + 3 < m; i += 4) {
            int a0 = aOff + i * lda;
            int a1 = a0 + lda;
            int a2 = a1 + lda;
            int a3 = a2 + lda;
            int j = 0;
            for (; j + 1 < n; j += 2) {
                int b0 = j * k;
                int b1 = b0 + k;
                double s00 = 0;
                double s01 = 0;
                double s10 = 0;
                double s11 = 0;
                double s20 = 0;
                double s21 = 0;
                double s30 = 0;
                double s31 = 0;
                for (int p = 0; p < k; p++) {
                    double y0 = bt[b0 + p];
                    double y1 = bt[b1 + p];
                    double x0 = a[a0 + p];
                    double x1 = a[a1 + p];
                    double x2 = a[a2 + p];
                    double x3 = a[a3 + p];
                    s00 += x0 * y0;
                    s01 += x0 * y1;
                    s10 += x1 * y0;
                    s11 += x1 * y1;
                    s20 += x2 * y0;
                    s21 += x2 * y1;
                    s30 += x3 * y0;
                    s31 += x3 * y1;
                }
                int c0 = cOff + i * ldc + j;
                c[c0] += s00;
                c[c0 + 1] += s01;
                c[c0 + ldc] += s10;
                c[c0 + ldc + 1] += s11;
                c[c0 + 2 * ldc] += s20;
                c[c0 + 2 * ldc + 1] += s21;
                c[c0 + 3 * ldc] += s30;
                c[c0 + 3 * ldc + 1] += s31;
            }
            for (; j < n; j++) {
                int c0 = cOff + i * ldc + j;
                c[c0] += Vectors.dotDoubleAccumulate(a, a0, bt, j * k, k);
                c[c0 + ldc] += Vectors.dotDoubleAccumulate(a, a1, bt, j * k, k);
                c[c0 + 2 * ldc] += Vectors.dotDoubleAccumulate(a, a2, bt, j * k, k);
                c[c0 + 3 * ldc] += Vectors.dotDoubleAccumulate(a, a3, bt, j * k, k);
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[cOff + i * ldc + j] += Vectors.dotDoubleAccumulate(a, aOff + i * lda, bt, j * k, k);
            }
        }
    }
}
