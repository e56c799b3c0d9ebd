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
     * The scalar product, adding into C. The inner loop always streams a row of B into a row of C;
     * for A stored by rows (i-p-j order) C's row stays in cache over the sum, for A stored by
     * columns (the weight gradients, p-i-j order) all of the small C stays in cache while the long
     * sum streams A and B once.
     */
    static void scalar(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc) {
        if (ars == 1 && acs != 1) {
            for (int p = 0; p < k; p++) {
                int bRow = bOff + p * ldb;
                int aCol = aOff + p * acs;
                for (int i = 0; i < m; i++) {
                    float av = a[aCol + i];
                    if (av == 0) {
                        continue;
                    }
                    int cRow = cOff + i * ldc;
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] += av * b[bRow + j];
                    }
                }
            }
            return;
        }
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

    /** The scalar double product, adding into C, in i-p-j order. */
    static void scalar(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
            double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * ldc;
            for (int p = 0; p < k; p++) {
                double av = a[aOff + i * lda + p];
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
