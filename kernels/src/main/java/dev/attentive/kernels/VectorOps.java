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
 * The vector paths of {@link Vectors} (dot, axpy, threshold scan), {@link Softmax} (affine max and
 * the deterministic exponential) and {@link PanelScorer}; {@link Gemm}'s are in {@link VectorGemm}.
 * Kept in a class of its own so that the Vector API is touched only where {@link VectorSupport#ENABLED}
 * guards the call: loaded only then, so the rest of the module runs without
 * {@code jdk.incubator.vector}. Stateless and thread safe.
 */
final class VectorOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Bytes with as many lanes as {@link #S}, widened to floats by one conversion. */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * L));
    private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_PREFERRED;
    private static final int LD = SD.length();

    private VectorOps() {
    }

    /** The float lanes of the preferred species (for tests). */
    static int floatLanes() {
        return L;
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
            s = sumInLaneOrder(acc);
        }
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /**
     * The lanes' sum, added in lane order. Not {@code reduceLanes(ADD)}: its order is unspecified and
     * differs between the interpreted and the compiled code, so results depended on when the JIT
     * compiled the caller and two runs with one seed could differ.
     */
    private static double sumInLaneOrder(DoubleVector v) {
        double s = 0;
        for (int j = 0; j < LD; j++) {
            s += v.lane(j);
        }
        return s;
    }

    /** See {@link #sumInLaneOrder(DoubleVector)}. */
    private static float sumInLaneOrder(FloatVector v) {
        float s = 0;
        for (int j = 0; j < L; j++) {
            s += v.lane(j);
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
            s = sumInLaneOrder(acc);
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

    /** See {@link Vectors#combineLanes}. */
    static void combine(float[] w, int wo, int ws, int m, float[] x, int xo, int xs, float[] y, int yo, int n) {
        int d = 0;
        for (; d + L <= n; d += L) {
            FloatVector acc = FloatVector.fromArray(S, y, yo + d);
            for (int i = 0; i < m; i++) {
                acc = FloatVector.fromArray(S, x, xo + i * xs + d).fma(FloatVector.broadcast(S, w[wo + i * ws]), acc);
            }
            acc.intoArray(y, yo + d);
        }
        for (; d < n; d++) {
            float acc = y[yo + d];
            for (int i = 0; i < m; i++) {
                acc += w[wo + i * ws] * x[xo + i * xs + d];
            }
            y[yo + d] = acc;
        }
    }

    /** The {@code L} mask bits starting at bit {@code k} of {@code bits}, in the low bits. */
    private static long maskBits(long[] bits, long k) {
        int word = (int) (k >>> 6);
        int shift = (int) (k & 63);
        long w = bits[word] >>> shift;
        if (shift + L > 64) {
            w |= bits[word + 1] << (64 - shift);
        }
        return L == 64 ? w : w & ((1L << L) - 1);
    }

    /** See {@link Vectors#keepMasked}. */
    static void keepMasked(float[] x, int off, int n, long[] bits, long bitOff, float scale) {
        int i = 0;
        FloatVector zero = FloatVector.zero(S);
        for (; i + L <= n; i += L) {
            VectorMask<Float> m = VectorMask.fromLong(S, maskBits(bits, bitOff + i));
            zero.blend(FloatVector.fromArray(S, x, off + i).mul(scale), m).intoArray(x, off + i);
        }
        Vectors.keepMaskedScalar(x, off, n, bits, bitOff, scale, i);
    }

    /** See {@link Vectors#axpyMasked}. */
    static void axpyMasked(float alpha, float[] x, int xo, float[] y, int yo, int n, long[] bits, long bitOff) {
        int i = 0;
        for (; i + L <= n; i += L) {
            VectorMask<Float> m = VectorMask.fromLong(S, maskBits(bits, bitOff + i));
            FloatVector.fromArray(S, y, yo + i).add(FloatVector.fromArray(S, x, xo + i).mul(alpha), m)
                    .intoArray(y, yo + i);
        }
        Vectors.axpyMaskedScalar(alpha, x, xo, y, yo, n, bits, bitOff, i);
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
        float s = sumInLaneOrder(sum);
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
