package dev.attentive.attention;

import java.util.Arrays;

/**
 * Float matrix products on row-major arrays with explicit offsets and row strides, for projecting a
 * whole batch of field vectors at once ({@code (batch * fields) x dim} times {@code dim x width})
 * instead of one matrix-vector product per field. Accumulation is in float (fused multiply-adds on
 * the vector path); callers keep double only where rounding is amplified (softmax and layer-norm
 * statistics). Allocation-free, stateless and thread safe.
 *
 * <p>When the JDK's {@code jdk.incubator.vector} module is in the boot layer (run with
 * {@code --add-modules jdk.incubator.vector}) the products run on {@link VectorKernels}; otherwise on
 * the scalar loops here, written in i-p-j order so that HotSpot vectorises their inner loop. Both
 * give the same results up to float rounding order. {@link VectorKernels} is never loaded when the
 * module is absent.
 */
final class Kernels {
    /** Whether the Vector API is available (and not disabled with {@code -Dattentive.vector=false}). */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("attentive.vector"));

    private Kernels() {
    }

    /**
     * {@code sum a[ao + i] * b[bo + i]} for {@code i < n}, in double: the per-row attention's short
     * dot products in field self-attention's forward pass.
     */
    static double dot(double[] a, int ao, double[] b, int bo, int n) {
        return VECTOR ? VectorKernels.dot(a, ao, b, bo, n) : DenseOps.dot(a, ao, b, bo, n);
    }

    /** {@code y[yo + i] += alpha * x[xo + i]} for {@code i < n}, in double. */
    static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        if (VECTOR) {
            VectorKernels.axpy(alpha, x, xo, y, yo, n);
        } else {
            DenseOps.axpy(alpha, x, xo, y, yo, n);
        }
    }

    /**
     * {@code sum a[ao + i] * b[bo + i]} for {@code i < n}: accumulated in float on the vector path
     * (for backward passes, where that rounding is harmless), in double on the scalar one.
     */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        return VECTOR ? VectorKernels.dot(a, ao, b, bo, n) : DenseOps.dot(a, ao, b, bo, n);
    }

    /** {@code y[yo + i] += alpha * x[xo + i]} for {@code i < n}. */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        if (VECTOR) {
            VectorKernels.axpy(alpha, x, xo, y, yo, n);
        } else {
            DenseOps.axpy(alpha, x, xo, y, yo, n);
        }
    }

    /**
     * {@code C[m x n] (+)= A[m x k] . B[k x n]}.
     *
     * @param lda the row stride of A (at least k)
     * @param ldb the row stride of B (at least n)
     * @param ldc the row stride of C (at least n)
     * @param accumulate whether to add into C rather than overwrite it
     */
    static void nn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c,
            int cOff, int ldc, boolean accumulate) {
        strided(m, n, k, a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc, accumulate, VECTOR);
    }

    /**
     * {@code C[m x n] (+)= A[k x m]^T . B[k x n]}: the weight-gradient product, summing over the
     * {@code k} rows of a batch.
     *
     * @param lda the row stride of A (at least m)
     */
    static void tn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c,
            int cOff, int ldc, boolean accumulate) {
        strided(m, n, k, a, aOff, 1, lda, b, bOff, ldb, c, cOff, ldc, accumulate, VECTOR);
    }

    /**
     * The general product with A's element {@code (i, p)} at {@code aOff + i * ars + p * acs}, on the
     * vector or the scalar path (tests compare the two).
     */
    static void strided(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate, boolean vector) {
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
            VectorKernels.gemm(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
        } else {
            scalar(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
        }
    }

    /**
     * The scalar product, adding into C. HotSpot (JDK 25) does not vectorise the textbook i-p-j
     * loop {@code c[cRow + j] += av * b[bRow + j]}: C and B might be one array at different
     * offsets. So A and B^T are packed into contiguous rows, and each 4 x 2 block of C is eight
     * independent multiply-add chains along the shared dimension.
     */
    static void scalar(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc) {
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
                c[cOff + i * ldc + j] += DenseOps.dot(ap, i * k, bt, j * k, k);
            }
        }
    }

    /**
     * {@code C[m x n] (+)= A[m x k] . B[k x n]} in double, for the forward pass of field
     * self-attention (see there why in double); the strides are as for the float version.
     */
    static void nn(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c,
            int cOff, int ldc, boolean accumulate) {
        nn(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, VECTOR);
    }

    /** As {@link #nn(int, int, int, double[], int, int, double[], int, int, double[], int, int, boolean)}, on the given path. */
    static void nn(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c,
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
            VectorKernels.gemm(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        } else {
            scalar(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }
    }

    /** The scalar double product, adding into C, blocked as the float one. */
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
                c[c0] += DenseOps.dot(a, a0, bt, j * k, k);
                c[c0 + ldc] += DenseOps.dot(a, a1, bt, j * k, k);
                c[c0 + 2 * ldc] += DenseOps.dot(a, a2, bt, j * k, k);
                c[c0 + 3 * ldc] += DenseOps.dot(a, a3, bt, j * k, k);
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[cOff + i * ldc + j] += DenseOps.dot(a, aOff + i * lda, bt, j * k, k);
            }
        }
    }

    /**
     * {@code out[outOff + c * ldOut + r] = in[inOff + r * cols + c]}, widened to double: the
     * transpose of a float {@code rows x cols} matrix into a double matrix of row stride
     * {@code ldOut}.
     */
    static void transpose(float[] in, int inOff, int rows, int cols, double[] out, int outOff, int ldOut) {
        for (int r = 0; r < rows; r++) {
            int row = inOff + r * cols;
            for (int c = 0; c < cols; c++) {
                out[outOff + c * ldOut + r] = in[row + c];
            }
        }
    }

    /**
     * {@code out[outOff + c * ldOut + r] = in[inOff + r * cols + c]}: writes the transpose of a
     * {@code rows x cols} matrix into a matrix of row stride {@code ldOut} (at least {@code rows}).
     */
    static void transpose(float[] in, int inOff, int rows, int cols, float[] out, int outOff, int ldOut) {
        for (int r = 0; r < rows; r++) {
            int row = inOff + r * cols;
            for (int c = 0; c < cols; c++) {
                out[outOff + c * ldOut + r] = in[row + c];
            }
        }
    }
}
