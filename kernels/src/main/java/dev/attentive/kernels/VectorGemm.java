package dev.attentive.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector paths of {@link Gemm}: register-tiled float and double micro-kernels, kept apart from
 * {@link VectorOps} because their tiling constants and unrolled tiles are a job of their own. Like
 * every class that touches the incubating Vector API, loaded only when {@link VectorSupport#ENABLED}
 * (Gemm checks it first), so the rest of the module runs without {@code jdk.incubator.vector}.
 * Stateless and thread safe.
 *
 * <p>The float GEMM keeps a 4-row by 2- or 4-vector register tile of C, accumulated with fused
 * multiply-adds over blocks of {@code KC} steps of the shared dimension (so that a long sum, such as
 * a weight gradient over every row of a batch, streams B from cache once per tile rather than C once
 * per step) and column panels of {@code JC} (so that a panel of B stays hot while the rows of A pass
 * over it). Whatever the tiling, each element of C is one FMA chain in order of the shared dimension.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns of C held in registers by the micro-kernel: two vectors. */
    private static final int NB = 2 * L;
    /** Column panel of B kept hot in L1 while all row blocks of A pass over it. */
    private static final int JC = 256;
    /** Steps of the shared dimension per pass over C: a block of B ({@code KC x NB}) stays in L1. */
    private static final int KC = 256;
    private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_PREFERRED;
    private static final int LD = SD.length();
    private static final int NBD = 2 * LD;

    private VectorGemm() {
    }

    /**
     * C += A . B with A's element (i, p) at {@code aOff + i * ars + p * acs}; the last
     * {@code n mod L} columns on {@link Gemm}'s scalar loops in the given order.
     */
    static void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, Gemm.ScalarOrder order) {
        int nVec = n - n % NB;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            int aP = aOff + pc * acs;
            int bP = bOff + pc * ldb;
            for (int jc = 0; jc < nVec; jc += JC) {
                int jEnd = Math.min(nVec, jc + JC);
                int i = 0;
                for (; i + 3 < m; i += 4) {
                    int j = jc;
                    for (; j + 2 * NB <= jEnd; j += 2 * NB) {
                        kernel4x4(kc, a, aP + i * ars, ars, acs, b, bP + j, ldb, c, cOff + i * ldc + j, ldc);
                    }
                    for (; j < jEnd; j += NB) {
                        kernel4x2(kc, a, aP + i * ars, ars, acs, b, bP + j, ldb, c, cOff + i * ldc + j, ldc);
                    }
                }
                for (; i < m; i++) {
                    for (int j = jc; j < jEnd; j += NB) {
                        kernel1x2(kc, a, aP + i * ars, acs, b, bP + j, ldb, c, cOff + i * ldc + j);
                    }
                }
            }
        }
        if (nVec < n) {
            // Remaining columns: one vector at a time, then scalar.
            int j = nVec;
            for (; j + L <= n; j += L) {
                for (int i = 0; i < m; i++) {
                    FloatVector acc = FloatVector.fromArray(S, c, cOff + i * ldc + j);
                    int aRow = aOff + i * ars;
                    for (int p = 0; p < k; p++) {
                        acc = FloatVector.fromArray(S, b, bOff + p * ldb + j)
                                .fma(FloatVector.broadcast(S, a[aRow + p * acs]), acc);
                    }
                    acc.intoArray(c, cOff + i * ldc + j);
                }
            }
            if (j < n) {
                Gemm.scalar(m, n - j, k, a, aOff, ars, acs, b, bOff + j, ldb, c, cOff + j, ldc, order);
            }
        }
    }

    /** Four rows by four vectors of C: 16 accumulators, for wide enough C. */
    private static void kernel4x4(int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc) {
        int c0 = cOff;
        int c1 = cOff + ldc;
        int c2 = cOff + 2 * ldc;
        int c3 = cOff + 3 * ldc;
        FloatVector r00 = FloatVector.fromArray(S, c, c0);
        FloatVector r01 = FloatVector.fromArray(S, c, c0 + L);
        FloatVector r02 = FloatVector.fromArray(S, c, c0 + 2 * L);
        FloatVector r03 = FloatVector.fromArray(S, c, c0 + 3 * L);
        FloatVector r10 = FloatVector.fromArray(S, c, c1);
        FloatVector r11 = FloatVector.fromArray(S, c, c1 + L);
        FloatVector r12 = FloatVector.fromArray(S, c, c1 + 2 * L);
        FloatVector r13 = FloatVector.fromArray(S, c, c1 + 3 * L);
        FloatVector r20 = FloatVector.fromArray(S, c, c2);
        FloatVector r21 = FloatVector.fromArray(S, c, c2 + L);
        FloatVector r22 = FloatVector.fromArray(S, c, c2 + 2 * L);
        FloatVector r23 = FloatVector.fromArray(S, c, c2 + 3 * L);
        FloatVector r30 = FloatVector.fromArray(S, c, c3);
        FloatVector r31 = FloatVector.fromArray(S, c, c3 + L);
        FloatVector r32 = FloatVector.fromArray(S, c, c3 + 2 * L);
        FloatVector r33 = FloatVector.fromArray(S, c, c3 + 3 * L);
        int a0 = aOff;
        int a1 = aOff + ars;
        int a2 = aOff + 2 * ars;
        int a3 = aOff + 3 * ars;
        for (int p = 0; p < k; p++) {
            int bRow = bOff + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bRow);
            FloatVector b1 = FloatVector.fromArray(S, b, bRow + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bRow + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bRow + 3 * L);
            int ap = p * acs;
            FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
            r00 = b0.fma(x, r00);
            r01 = b1.fma(x, r01);
            r02 = b2.fma(x, r02);
            r03 = b3.fma(x, r03);
            x = FloatVector.broadcast(S, a[a1 + ap]);
            r10 = b0.fma(x, r10);
            r11 = b1.fma(x, r11);
            r12 = b2.fma(x, r12);
            r13 = b3.fma(x, r13);
            x = FloatVector.broadcast(S, a[a2 + ap]);
            r20 = b0.fma(x, r20);
            r21 = b1.fma(x, r21);
            r22 = b2.fma(x, r22);
            r23 = b3.fma(x, r23);
            x = FloatVector.broadcast(S, a[a3 + ap]);
            r30 = b0.fma(x, r30);
            r31 = b1.fma(x, r31);
            r32 = b2.fma(x, r32);
            r33 = b3.fma(x, r33);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + L);
        r02.intoArray(c, c0 + 2 * L);
        r03.intoArray(c, c0 + 3 * L);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + L);
        r12.intoArray(c, c1 + 2 * L);
        r13.intoArray(c, c1 + 3 * L);
        r20.intoArray(c, c2);
        r21.intoArray(c, c2 + L);
        r22.intoArray(c, c2 + 2 * L);
        r23.intoArray(c, c2 + 3 * L);
        r30.intoArray(c, c3);
        r31.intoArray(c, c3 + L);
        r32.intoArray(c, c3 + 2 * L);
        r33.intoArray(c, c3 + 3 * L);
    }

    private static void kernel4x2(int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc) {
        int c0 = cOff;
        int c1 = cOff + ldc;
        int c2 = cOff + 2 * ldc;
        int c3 = cOff + 3 * ldc;
        FloatVector r00 = FloatVector.fromArray(S, c, c0);
        FloatVector r01 = FloatVector.fromArray(S, c, c0 + L);
        FloatVector r10 = FloatVector.fromArray(S, c, c1);
        FloatVector r11 = FloatVector.fromArray(S, c, c1 + L);
        FloatVector r20 = FloatVector.fromArray(S, c, c2);
        FloatVector r21 = FloatVector.fromArray(S, c, c2 + L);
        FloatVector r30 = FloatVector.fromArray(S, c, c3);
        FloatVector r31 = FloatVector.fromArray(S, c, c3 + L);
        int a0 = aOff;
        int a1 = aOff + ars;
        int a2 = aOff + 2 * ars;
        int a3 = aOff + 3 * ars;
        for (int p = 0; p < k; p++) {
            int bRow = bOff + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bRow);
            FloatVector b1 = FloatVector.fromArray(S, b, bRow + L);
            int ap = p * acs;
            FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
            r00 = b0.fma(x, r00);
            r01 = b1.fma(x, r01);
            x = FloatVector.broadcast(S, a[a1 + ap]);
            r10 = b0.fma(x, r10);
            r11 = b1.fma(x, r11);
            x = FloatVector.broadcast(S, a[a2 + ap]);
            r20 = b0.fma(x, r20);
            r21 = b1.fma(x, r21);
            x = FloatVector.broadcast(S, a[a3 + ap]);
            r30 = b0.fma(x, r30);
            r31 = b1.fma(x, r31);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + L);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + L);
        r20.intoArray(c, c2);
        r21.intoArray(c, c2 + L);
        r30.intoArray(c, c3);
        r31.intoArray(c, c3 + L);
    }

    private static void kernel1x2(int k, float[] a, int aOff, int acs, float[] b, int bOff, int ldb, float[] c,
            int cOff) {
        FloatVector r0 = FloatVector.fromArray(S, c, cOff);
        FloatVector r1 = FloatVector.fromArray(S, c, cOff + L);
        for (int p = 0; p < k; p++) {
            int bRow = bOff + p * ldb;
            FloatVector x = FloatVector.broadcast(S, a[aOff + p * acs]);
            r0 = FloatVector.fromArray(S, b, bRow).fma(x, r0);
            r1 = FloatVector.fromArray(S, b, bRow + L).fma(x, r1);
        }
        r0.intoArray(c, cOff);
        r1.intoArray(c, cOff + L);
    }

    /** C += A . B in double, A row-major with row stride {@code lda}. */
    static void gemm(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c,
            int cOff, int ldc) {
        int nVec = n - n % NBD;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            int aP = aOff + pc;
            int bP = bOff + pc * ldb;
            int i = 0;
            for (; i + 3 < m; i += 4) {
                int j = 0;
                for (; j + 2 * NBD <= nVec; j += 2 * NBD) {
                    kernel4x4(kc, a, aP + i * lda, lda, b, bP + j, ldb, c, cOff + i * ldc + j, ldc);
                }
                for (; j < nVec; j += NBD) {
                    kernel4x2(kc, a, aP + i * lda, lda, b, bP + j, ldb, c, cOff + i * ldc + j, ldc);
                }
            }
            for (; i < m; i++) {
                for (int j = 0; j < nVec; j += NBD) {
                    kernel1x2(kc, a, aP + i * lda, b, bP + j, ldb, c, cOff + i * ldc + j);
                }
            }
        }
        if (nVec < n) {
            Gemm.scalar(m, n - nVec, k, a, aOff, lda, b, bOff + nVec, ldb, c, cOff + nVec, ldc);
        }
    }

    /** Four rows by four vectors of C in double. */
    private static void kernel4x4(int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c,
            int cOff, int ldc) {
        int c0 = cOff;
        int c1 = cOff + ldc;
        int c2 = cOff + 2 * ldc;
        int c3 = cOff + 3 * ldc;
        DoubleVector r00 = DoubleVector.fromArray(SD, c, c0);
        DoubleVector r01 = DoubleVector.fromArray(SD, c, c0 + LD);
        DoubleVector r02 = DoubleVector.fromArray(SD, c, c0 + 2 * LD);
        DoubleVector r03 = DoubleVector.fromArray(SD, c, c0 + 3 * LD);
        DoubleVector r10 = DoubleVector.fromArray(SD, c, c1);
        DoubleVector r11 = DoubleVector.fromArray(SD, c, c1 + LD);
        DoubleVector r12 = DoubleVector.fromArray(SD, c, c1 + 2 * LD);
        DoubleVector r13 = DoubleVector.fromArray(SD, c, c1 + 3 * LD);
        DoubleVector r20 = DoubleVector.fromArray(SD, c, c2);
        DoubleVector r21 = DoubleVector.fromArray(SD, c, c2 + LD);
        DoubleVector r22 = DoubleVector.fromArray(SD, c, c2 + 2 * LD);
        DoubleVector r23 = DoubleVector.fromArray(SD, c, c2 + 3 * LD);
        DoubleVector r30 = DoubleVector.fromArray(SD, c, c3);
        DoubleVector r31 = DoubleVector.fromArray(SD, c, c3 + LD);
        DoubleVector r32 = DoubleVector.fromArray(SD, c, c3 + 2 * LD);
        DoubleVector r33 = DoubleVector.fromArray(SD, c, c3 + 3 * LD);
        int a0 = aOff;
        int a1 = aOff + lda;
        int a2 = aOff + 2 * lda;
        int a3 = aOff + 3 * lda;
        for (int p = 0; p < k; p++) {
            int bRow = bOff + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SD, b, bRow);
            DoubleVector b1 = DoubleVector.fromArray(SD, b, bRow + LD);
            DoubleVector b2 = DoubleVector.fromArray(SD, b, bRow + 2 * LD);
            DoubleVector b3 = DoubleVector.fromArray(SD, b, bRow + 3 * LD);
            DoubleVector x = DoubleVector.broadcast(SD, a[a0 + p]);
            r00 = b0.fma(x, r00);
            r01 = b1.fma(x, r01);
            r02 = b2.fma(x, r02);
            r03 = b3.fma(x, r03);
            x = DoubleVector.broadcast(SD, a[a1 + p]);
            r10 = b0.fma(x, r10);
            r11 = b1.fma(x, r11);
            r12 = b2.fma(x, r12);
            r13 = b3.fma(x, r13);
            x = DoubleVector.broadcast(SD, a[a2 + p]);
            r20 = b0.fma(x, r20);
            r21 = b1.fma(x, r21);
            r22 = b2.fma(x, r22);
            r23 = b3.fma(x, r23);
            x = DoubleVector.broadcast(SD, a[a3 + p]);
            r30 = b0.fma(x, r30);
            r31 = b1.fma(x, r31);
            r32 = b2.fma(x, r32);
            r33 = b3.fma(x, r33);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + LD);
        r02.intoArray(c, c0 + 2 * LD);
        r03.intoArray(c, c0 + 3 * LD);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + LD);
        r12.intoArray(c, c1 + 2 * LD);
        r13.intoArray(c, c1 + 3 * LD);
        r20.intoArray(c, c2);
        r21.intoArray(c, c2 + LD);
        r22.intoArray(c, c2 + 2 * LD);
        r23.intoArray(c, c2 + 3 * LD);
        r30.intoArray(c, c3);
        r31.intoArray(c, c3 + LD);
        r32.intoArray(c, c3 + 2 * LD);
        r33.intoArray(c, c3 + 3 * LD);
    }

    private static void kernel4x2(int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c,
            int cOff, int ldc) {
        int c0 = cOff;
        int c1 = cOff + ldc;
        int c2 = cOff + 2 * ldc;
        int c3 = cOff + 3 * ldc;
        DoubleVector r00 = DoubleVector.fromArray(SD, c, c0);
        DoubleVector r01 = DoubleVector.fromArray(SD, c, c0 + LD);
        DoubleVector r10 = DoubleVector.fromArray(SD, c, c1);
        DoubleVector r11 = DoubleVector.fromArray(SD, c, c1 + LD);
        DoubleVector r20 = DoubleVector.fromArray(SD, c, c2);
        DoubleVector r21 = DoubleVector.fromArray(SD, c, c2 + LD);
        DoubleVector r30 = DoubleVector.fromArray(SD, c, c3);
        DoubleVector r31 = DoubleVector.fromArray(SD, c, c3 + LD);
        int a0 = aOff;
        int a1 = aOff + lda;
        int a2 = aOff + 2 * lda;
        int a3 = aOff + 3 * lda;
        for (int p = 0; p < k; p++) {
            int bRow = bOff + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(SD, b, bRow);
            DoubleVector b1 = DoubleVector.fromArray(SD, b, bRow + LD);
            DoubleVector x = DoubleVector.broadcast(SD, a[a0 + p]);
            r00 = b0.fma(x, r00);
            r01 = b1.fma(x, r01);
            x = DoubleVector.broadcast(SD, a[a1 + p]);
            r10 = b0.fma(x, r10);
            r11 = b1.fma(x, r11);
            x = DoubleVector.broadcast(SD, a[a2 + p]);
            r20 = b0.fma(x, r20);
            r21 = b1.fma(x, r21);
            x = DoubleVector.broadcast(SD, a[a3 + p]);
            r30 = b0.fma(x, r30);
            r31 = b1.fma(x, r31);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + LD);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + LD);
        r20.intoArray(c, c2);
        r21.intoArray(c, c2 + LD);
        r30.intoArray(c, c3);
        r31.intoArray(c, c3 + LD);
    }

    private static void kernel1x2(int k, double[] a, int aOff, double[] b, int bOff, int ldb, double[] c, int cOff) {
        DoubleVector r0 = DoubleVector.fromArray(SD, c, cOff);
        DoubleVector r1 = DoubleVector.fromArray(SD, c, cOff + LD);
        for (int p = 0; p < k; p++) {
            int bRow = bOff + p * ldb;
            DoubleVector x = DoubleVector.broadcast(SD, a[aOff + p]);
            r0 = DoubleVector.fromArray(SD, b, bRow).fma(x, r0);
            r1 = DoubleVector.fromArray(SD, b, bRow + LD).fma(x, r1);
        }
        r0.intoArray(c, cOff);
        r1.intoArray(c, cOff + LD);
    }
}
