package dev.attentive.model;

/**
 * Float kernels on row-major arrays with explicit offsets and leading dimensions. Allocation-free
 * except for the per-thread transpose buffer of {@link #gemmNT}. Every GEMM either overwrites its
 * output ({@code accumulate == false}) or adds into it.
 *
 * <p>When the JDK's {@code jdk.incubator.vector} module is in the boot layer (run with
 * {@code --add-modules jdk.incubator.vector}) the GEMMs and the panel scorer run on
 * {@link VectorKernels}; otherwise on the scalar loops here, which give the same results up to
 * float rounding order. The vector class is never loaded when the module is absent.
 */
public final class Kernels {
    /** Whether the Vector API is available (and not disabled with {@code -Dattentive.vector=false}). */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("attentive.vector"));

    /**
     * The width of a retrieval panel: item vectors are stored {@code dim x PANEL} per block. With the
     * Vector API it is eight vectors ({@code 8 * lanes}, at least 64): the panel kernel keeps eight
     * independent FMA accumulators in registers, enough to cover the FMA latency on cores with two
     * FMA pipes (four left the 512-bit kernel latency-bound). 64 on the scalar path.
     */
    public static final int PANEL = VECTOR ? Math.max(64, VectorKernels.panelWidth()) : 64;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    private Kernels() {
    }

    /** The dot product of {@code a[aOff..aOff+n)} and {@code b[bOff..bOff+n)}, four accumulators. */
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

    /** {@code y[yOff..yOff+n) += alpha * x[xOff..xOff+n)}. */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /**
     * {@code C[m x n] (+)= A[m x k] . B[k x n]}.
     *
     * @param lda the row stride of A (at least k)
     * @param ldb the row stride of B (at least n)
     * @param ldc the row stride of C (at least n)
     */
    public static void gemmNN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        gemmStrided(m, n, k, a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * {@code C[m x n] (+)= A[k x m]^T . B[k x n]}.
     *
     * @param lda the row stride of A (at least m)
     */
    public static void gemmTN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        gemmStrided(m, n, k, a, aOff, 1, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * {@code C[m x n] (+)= A[m x k] . B[n x k]^T}. B is transposed into a per-thread buffer and the
     * product computed as {@link #gemmNN}, which is faster than m*n short dot products.
     *
     * @param ldb the row stride of B (at least k)
     */
    public static void gemmNT(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        if (m < 4) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = dot(a, aOff + i * lda, b, bOff + j * ldb, k);
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
        gemmStrided(m, n, k, a, aOff, lda, 1, bt, 0, n, c, cOff, ldc, accumulate);
    }

    /** A's element (i, p) is at {@code aOff + i * ars + p * acs}. */
    private static void gemmStrided(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff,
            int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
        }
        if (k == 0) {
            return;
        }
        if (VECTOR) {
            VectorKernels.gemm(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
        } else {
            scalarGemm(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
        }
    }

    /** The scalar fallback: i-p-j order so that the inner loop streams rows of B and C. */
    static void scalarGemm(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc) {
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
     * Scores one panel block: {@code out[j] = sum_p q[p] * panel[off + p * PANEL + j]} for
     * {@code j < PANEL}, each a chain of FMAs in order of p (so every path gives the same bits).
     *
     * @return the largest of the {@code PANEL} scores (NaN scores are ignored by the scalar path and
     *     may be returned by the vector path; callers must not rely on either)
     */
    static float scorePanel(float[] q, int dim, float[] panel, int off, float[] out) {
        if (VECTOR) {
            return VectorKernels.scorePanel(q, dim, panel, off, out);
        }
        java.util.Arrays.fill(out, 0, PANEL, 0f);
        for (int p = 0; p < dim; p++) {
            float qp = q[p];
            int row = off + p * PANEL;
            for (int j = 0; j < PANEL; j++) {
                out[j] = Math.fma(qp, panel[row + j], out[j]);
            }
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < PANEL; j++) {
            max = Math.max(max, out[j]);
        }
        return max;
    }

    /**
     * Scores one panel of int8-coded items: {@code out[base + j] = scales[base + j] * sum_p q[p] *
     * codes[off + p * PANEL + j]} for {@code j < PANEL} (the sum a chain of float FMAs in order of
     * p, then one multiplication).
     *
     * @return the largest of the {@code PANEL} scores
     */
    public static float scorePanelInt8(float[] q, int dim, byte[] codes, int off, float[] scales, float[] out,
            int base) {
        if (VECTOR) {
            return VectorKernels.scorePanelInt8(q, dim, codes, off, scales, out, base);
        }
        java.util.Arrays.fill(out, base, base + PANEL, 0f);
        for (int p = 0; p < dim; p++) {
            float qp = q[p];
            int row = off + p * PANEL;
            for (int j = 0; j < PANEL; j++) {
                out[base + j] = Math.fma(qp, codes[row + j], out[base + j]);
            }
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < PANEL; j++) {
            out[base + j] *= scales[base + j];
            max = Math.max(max, out[base + j]);
        }
        return max;
    }

    /**
     * Writes the indices {@code from <= i < to} with {@code x[i] >= cut} into {@code out}, ascending.
     *
     * @return how many
     */
    public static int collectAtLeast(float[] x, int from, int to, float cut, int[] out) {
        if (VECTOR) {
            return VectorKernels.collectAtLeast(x, from, to, cut, out);
        }
        int count = 0;
        for (int i = from; i < to; i++) {
            if (x[i] >= cut) {
                out[count++] = i;
            }
        }
        return count;
    }

    /**
     * Replaces {@code x[off..off+n)} by {@code exp(x - max)} and returns their sum.
     */
    public static float expShifted(float[] x, int off, int n, float max) {
        if (VECTOR) {
            return VectorKernels.expShifted(x, off, n, max);
        }
        float s = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            s += e;
        }
        return s;
    }

    /**
     * Replaces {@code x[off + j]} by {@code scale * x[off + j] - shift[j]} ({@code shift} may be null
     * for none) and returns the largest result.
     */
    public static float affineMax(float[] x, int off, int n, float scale, float[] shift) {
        if (VECTOR) {
            return VectorKernels.affineMax(x, off, n, scale, shift);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            float z = scale * x[off + j] - (shift == null ? 0f : shift[j]);
            x[off + j] = z;
            max = Math.max(max, z);
        }
        return max;
    }

    /** {@code x[off..off+n) *= alpha}. */
    public static void scale(float[] x, int off, int n, float alpha) {
        for (int i = 0; i < n; i++) {
            x[off + i] *= alpha;
        }
    }

    /** Whether every value is finite. */
    public static boolean allFinite(float[] v, int n) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(v[i])) {
                return false;
            }
        }
        return true;
    }
}
