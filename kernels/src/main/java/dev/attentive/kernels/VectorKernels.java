package dev.attentive.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Every use of the incubating Vector API: the vector paths of {@link Gemm}, {@link Vectors},
 * {@link Softmax} and {@link PanelScorer}. Loaded only when {@link VectorSupport#ENABLED}, so the
 * rest of the module runs without {@code jdk.incubator.vector}. Stateless and thread safe.
 *
 * <p>The float GEMM keeps a 4-row by 2- or 4-vector register tile of C, accumulated with fused
 * multiply-adds over blocks of {@code KC} steps of the shared dimension (so that a long sum, such as
 * a weight gradient over every row of a batch, streams B from cache once per tile rather than C once
 * per step) and column panels of {@code JC} (so that a panel of B stays hot while the rows of A pass
 * over it). Whatever the tiling, each element of C is one FMA chain in order of the shared dimension.
 */
final class VectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Bytes with as many lanes as {@link #S}, widened to floats by one conversion. */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * L));
    /** Columns of C held in registers by the micro-kernel: two vectors. */
    private static final int NB = 2 * L;
    /** Column panel of B kept hot in L1 while all row blocks of A pass over it. */
    private static final int JC = 256;
    /** Steps of the shared dimension per pass over C: a block of B ({@code KC x NB}) stays in L1. */
    private static final int KC = 256;
    private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_PREFERRED;
    private static final int LD = SD.length();
    private static final int NBD = 2 * LD;

    private VectorKernels() {
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

    /** See {@link Vectors#dotLanes(double[], int, double[], int, int)}. */
    static double dot(double[] a, int ao, double[] b, int bo, int n) {
        int i = 0;
        double s = 0;
        if (n >= LD) {
            DoubleVector acc = DoubleVector.zero(SD);
            for (; i + LD <= n; i += LD) {
                acc = DoubleVector.fromArray(SD, a, ao + i).fma(DoubleVector.fromArray(SD, b, bo + i), acc);
            }
            s = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /** See {@link Vectors#axpyLanes(double, double[], int, double[], int, int)}. */
    static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        int i = 0;
        if (n >= LD) {
            DoubleVector va = DoubleVector.broadcast(SD, alpha);
            for (; i + LD <= n; i += LD) {
                DoubleVector.fromArray(SD, x, xo + i).fma(va, DoubleVector.fromArray(SD, y, yo + i))
                        .intoArray(y, yo + i);
            }
        }
        for (; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    /** See {@link Vectors#dotLanes(float[], int, float[], int, int)}. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        float s = 0;
        if (n >= L) {
            FloatVector acc = FloatVector.zero(S);
            for (; i + L <= n; i += L) {
                acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
            }
            s = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /** See {@link Vectors#axpyLanes(float, float[], int, float[], int, int)}. */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        if (n >= L) {
            FloatVector va = FloatVector.broadcast(S, alpha);
            for (; i + L <= n; i += L) {
                FloatVector.fromArray(S, x, xo + i).fma(va, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
            }
        }
        for (; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    /** Eight vectors: the panel width the scorer is built for (see {@link PanelScorer#WIDTH}). */
    static int panelWidth() {
        return 8 * L;
    }

    /**
     * See {@link PanelScorer#score}. Eight independent accumulators per pass (PANEL is a multiple
     * of {@code 8 * L}); each query component is broadcast once per pass and its FMAs take the item
     * values straight from memory.
     */
    static float scorePanel(float[] q, int dim, float[] panel, int off, float[] out) {
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < PanelScorer.WIDTH; j += 8 * L) {
            FloatVector acc0 = FloatVector.zero(S);
            FloatVector acc1 = FloatVector.zero(S);
            FloatVector acc2 = FloatVector.zero(S);
            FloatVector acc3 = FloatVector.zero(S);
            FloatVector acc4 = FloatVector.zero(S);
            FloatVector acc5 = FloatVector.zero(S);
            FloatVector acc6 = FloatVector.zero(S);
            FloatVector acc7 = FloatVector.zero(S);
            for (int p = 0, row = off + j; p < dim; p++, row += PanelScorer.WIDTH) {
                FloatVector x = FloatVector.broadcast(S, q[p]);
                acc0 = FloatVector.fromArray(S, panel, row).fma(x, acc0);
                acc1 = FloatVector.fromArray(S, panel, row + L).fma(x, acc1);
                acc2 = FloatVector.fromArray(S, panel, row + 2 * L).fma(x, acc2);
                acc3 = FloatVector.fromArray(S, panel, row + 3 * L).fma(x, acc3);
                acc4 = FloatVector.fromArray(S, panel, row + 4 * L).fma(x, acc4);
                acc5 = FloatVector.fromArray(S, panel, row + 5 * L).fma(x, acc5);
                acc6 = FloatVector.fromArray(S, panel, row + 6 * L).fma(x, acc6);
                acc7 = FloatVector.fromArray(S, panel, row + 7 * L).fma(x, acc7);
            }
            acc0.intoArray(out, j);
            acc1.intoArray(out, j + L);
            acc2.intoArray(out, j + 2 * L);
            acc3.intoArray(out, j + 3 * L);
            acc4.intoArray(out, j + 4 * L);
            acc5.intoArray(out, j + 5 * L);
            acc6.intoArray(out, j + 6 * L);
            acc7.intoArray(out, j + 7 * L);
            max = max.max(acc0.max(acc1).max(acc2.max(acc3)).max(acc4.max(acc5).max(acc6.max(acc7))));
        }
        return max.reduceLanes(VectorOperators.MAX);
    }

    /**
     * See {@link PanelScorer#scoreInt8}: the {@link #scorePanel} kernel over int8 codes, each block
     * of lanes widened to floats before its FMA, the sums scaled per item at the end.
     */
    static float scorePanelInt8(float[] q, int dim, byte[] codes, int off, float[] scales, float[] out, int base) {
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < PanelScorer.WIDTH; j += 8 * L) {
            FloatVector acc0 = FloatVector.zero(S);
            FloatVector acc1 = FloatVector.zero(S);
            FloatVector acc2 = FloatVector.zero(S);
            FloatVector acc3 = FloatVector.zero(S);
            FloatVector acc4 = FloatVector.zero(S);
            FloatVector acc5 = FloatVector.zero(S);
            FloatVector acc6 = FloatVector.zero(S);
            FloatVector acc7 = FloatVector.zero(S);
            for (int p = 0, row = off + j; p < dim; p++, row += PanelScorer.WIDTH) {
                FloatVector x = FloatVector.broadcast(S, q[p]);
                acc0 = widen(codes, row).fma(x, acc0);
                acc1 = widen(codes, row + L).fma(x, acc1);
                acc2 = widen(codes, row + 2 * L).fma(x, acc2);
                acc3 = widen(codes, row + 3 * L).fma(x, acc3);
                acc4 = widen(codes, row + 4 * L).fma(x, acc4);
                acc5 = widen(codes, row + 5 * L).fma(x, acc5);
                acc6 = widen(codes, row + 6 * L).fma(x, acc6);
                acc7 = widen(codes, row + 7 * L).fma(x, acc7);
            }
            int so = base + j;
            acc0 = acc0.mul(FloatVector.fromArray(S, scales, so));
            acc1 = acc1.mul(FloatVector.fromArray(S, scales, so + L));
            acc2 = acc2.mul(FloatVector.fromArray(S, scales, so + 2 * L));
            acc3 = acc3.mul(FloatVector.fromArray(S, scales, so + 3 * L));
            acc4 = acc4.mul(FloatVector.fromArray(S, scales, so + 4 * L));
            acc5 = acc5.mul(FloatVector.fromArray(S, scales, so + 5 * L));
            acc6 = acc6.mul(FloatVector.fromArray(S, scales, so + 6 * L));
            acc7 = acc7.mul(FloatVector.fromArray(S, scales, so + 7 * L));
            acc0.intoArray(out, so);
            acc1.intoArray(out, so + L);
            acc2.intoArray(out, so + 2 * L);
            acc3.intoArray(out, so + 3 * L);
            acc4.intoArray(out, so + 4 * L);
            acc5.intoArray(out, so + 5 * L);
            acc6.intoArray(out, so + 6 * L);
            acc7.intoArray(out, so + 7 * L);
            max = max.max(acc0.max(acc1).max(acc2.max(acc3)).max(acc4.max(acc5).max(acc6.max(acc7))));
        }
        return max.reduceLanes(VectorOperators.MAX);
    }

    private static FloatVector widen(byte[] codes, int at) {
        return (FloatVector) ByteVector.fromArray(B, codes, at).convertShape(VectorOperators.B2F, S, 0);
    }

    /** See {@link Vectors#collectAtLeast}. */
    static int collectAtLeast(float[] x, int from, int to, float cut, int[] out) {
        int count = 0;
        int i = from;
        for (int end = to - (to - from) % L; i < end; i += L) {
            VectorMask<Float> m = FloatVector.fromArray(S, x, i).compare(VectorOperators.GE, cut);
            if (m.anyTrue()) {
                for (long bits = m.toLong(); bits != 0; bits &= bits - 1) {
                    out[count++] = i + Long.numberOfTrailingZeros(bits);
                }
            }
        }
        for (; i < to; i++) {
            if (x[i] >= cut) {
                out[count++] = i;
            }
        }
        return count;
    }

    /**
     * {@code sum(x[off..off+n))} of exponentials {@code exp(x - max)} written back; returns the sum.
     * Deterministic: the exponential is computed with basic IEEE operations (no intrinsic whose
     * rounding differs between the interpreter and compiled code) and the lanes are summed in order,
     * so a training run gives the same numbers however the JIT compiles it.
     */
    static float expShifted(float[] x, int off, int n, float max) {
        int i = 0;
        FloatVector sum = FloatVector.zero(S);
        FloatVector shift = FloatVector.broadcast(S, max);
        for (; i + L <= n; i += L) {
            FloatVector e = exp(FloatVector.fromArray(S, x, off + i).sub(shift));
            e.intoArray(x, off + i);
            sum = sum.add(e);
        }
        float[] lanes = new float[L];
        sum.intoArray(lanes, 0);
        float s = 0;
        for (float lane : lanes) {
            s += lane;
        }
        for (; i < n; i++) {
            float e = exp(x[off + i] - max);
            x[off + i] = e;
            s += e;
        }
        return s;
    }

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to an integer. */
    private static final float ROUND = 12582912f;
    private static final float UNDERFLOW = -87.0f;
    private static final float[] P = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f, 4.1665795894e-2f,
        1.6666665459e-1f, 5.0000001201e-1f};

    /**
     * {@code exp(x)} for {@code x <= 0} (Cephes' single-precision polynomial, about 1 ulp):
     * {@code 2^k * p(r)} with {@code x = k ln 2 + r}; below {@code -87} (and for -infinity) it is 0.
     */
    static FloatVector exp(FloatVector x) {
        var tiny = x.compare(VectorOperators.LT, UNDERFLOW);
        FloatVector safe = x.blend(0f, tiny);
        FloatVector k = safe.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_HI), safe);
        r = k.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, P[0]);
        for (int j = 1; j < P.length; j++) {
            p = p.fma(r, FloatVector.broadcast(S, P[j]));
        }
        FloatVector r2 = r.mul(r);
        FloatVector y = p.fma(r2, r.add(1f));
        IntVector bits = ((IntVector) k.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return y.mul(bits.reinterpretAsFloats()).blend(0f, tiny);
    }

    /** The scalar twin of {@link #exp(FloatVector)}, with the same operations in the same order. */
    static float exp(float x) {
        if (x < UNDERFLOW || Float.isNaN(x)) {
            return Float.isNaN(x) ? x : 0f;
        }
        float k = x * LOG2E + ROUND - ROUND;
        float r = Math.fma(k, -LN2_HI, x);
        r = Math.fma(k, -LN2_LO, r);
        float p = P[0];
        for (int j = 1; j < P.length; j++) {
            p = Math.fma(p, r, P[j]);
        }
        float y = Math.fma(p, r * r, r + 1f);
        return y * Float.intBitsToFloat(((int) k + 127) << 23);
    }

    /** See {@link Softmax#affineMax}. */
    static float affineMax(float[] x, int off, int n, float scale, float[] shift) {
        int j = 0;
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector sc = FloatVector.broadcast(S, scale);
        for (; j + L <= n; j += L) {
            FloatVector z = FloatVector.fromArray(S, x, off + j).mul(sc);
            if (shift != null) {
                z = z.sub(FloatVector.fromArray(S, shift, j));
            }
            z.intoArray(x, off + j);
            max = max.max(z);
        }
        float m = max.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) {
            float z = scale * x[off + j] - (shift == null ? 0f : shift[j]);
            x[off + j] = z;
            m = Math.max(m, z);
        }
        return m;
    }
}
