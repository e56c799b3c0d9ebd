package dev.attentive.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.testkit.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The lane-parallel kernels give the same bits on the first call (interpreted) and after the JIT has
 * compiled them, and the float dot product follows its documented order: fused multiply-adds per
 * lane, the lanes added in lane order, then the tail. The dot products used {@code reduceLanes(ADD)},
 * whose order is unspecified; compiled inside the attention plugins it summed in another order than
 * the interpreter, so two training runs with one seed differed ({@code CompiledStabilityTest} in
 * {@code attention} catches that; on this machine these kernel-level loops did not).
 */
class LaneSumDeterminismTest {

    private static final int CALLS = 200_000;

    @Test
    void floatDotIsTheSameBeforeAndAfterCompilation() {
        SplittableRandom random = new SplittableRandom(2020);
        int n = 64 + 5;
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            // Magnitudes over several decades, so that a different summation order changes the bits.
            a[i] = (float) (Seeds.gaussian(random) * Math.pow(10, random.nextInt(4)));
            b[i] = (float) Seeds.gaussian(random);
        }
        float first = Vectors.dotLanes(a, 0, b, 0, n);
        if (VectorSupport.enabled()) {
            assertThat(first).isEqualTo(laneOrderReference(a, b, n, VectorOps.floatLanes()));
        }
        for (int c = 0; c < CALLS; c++) {
            float again = Vectors.dotLanes(a, 0, b, 0, n);
            if (Float.floatToRawIntBits(again) != Float.floatToRawIntBits(first)) {
                assertThat(again).as("call %d of dotLanes", c).isEqualTo(first);
            }
        }
    }

    @Test
    void doubleDotIsTheSameBeforeAndAfterCompilation() {
        SplittableRandom random = new SplittableRandom(2020);
        int n = 64 + 3;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = Seeds.gaussian(random) * Math.pow(10, random.nextInt(8));
            b[i] = Seeds.gaussian(random);
        }
        double first = Vectors.dotLanes(a, 0, b, 0, n);
        for (int c = 0; c < CALLS; c++) {
            double again = Vectors.dotLanes(a, 0, b, 0, n);
            if (Double.doubleToRawLongBits(again) != Double.doubleToRawLongBits(first)) {
                assertThat(again).as("call %d of dotLanes", c).isEqualTo(first);
            }
        }
    }

    @Test
    void lanePathsAreTheSameBeforeAndAfterCompilation() {
        SplittableRandom random = new SplittableRandom(7);
        int m = 37;
        int k = 67;
        int n = 45;
        double[] ad = new double[m * k];
        double[] bd = new double[k * n];
        float[] af = new float[m * k];
        float[] bf = new float[k * n];
        for (int i = 0; i < ad.length; i++) {
            ad[i] = Seeds.gaussian(random) * Math.pow(10, random.nextInt(6));
            af[i] = (float) ad[i];
        }
        for (int i = 0; i < bd.length; i++) {
            bd[i] = Seeds.gaussian(random);
            bf[i] = (float) bd[i];
        }
        double[] cd = new double[m * n];
        float[] cf = new float[m * n];
        float[] cft = new float[m * n];
        float[] y = new float[k * n];
        double[] yd = new double[k * n];
        Object[] first = null;
        for (int c = 0; c < 3_000; c++) {
            Gemm.gemmNN(m, n, k, ad, 0, k, bd, 0, n, cd, 0, n, false);
            Gemm.gemmNN(m, n, k, af, 0, k, bf, 0, n, cf, 0, n, false);
            Gemm.gemm(m, n, k, af, 0, k, 1, bf, 0, n, cft, 0, n, false, Gemm.ScalarOrder.REGISTER_TILED);
            System.arraycopy(bf, 0, y, 0, y.length);
            System.arraycopy(bd, 0, yd, 0, yd.length);
            Vectors.axpyLanes(0.37f, af, 0, y, 0, Math.min(af.length, y.length));
            Vectors.axpyLanes(0.37, ad, 0, yd, 0, Math.min(ad.length, yd.length));
            Object[] now = {cd.clone(), cf.clone(), cft.clone(), y.clone(), yd.clone()};
            if (first == null) {
                first = now;
            } else if (!Arrays.deepEquals(first, now)) {
                assertThat(now).as("call %d: gemm double, gemm float, tiled, axpyLanes float, double", c)
                        .containsExactly(first);
            }
        }
    }

    /** The documented order: per-lane fused multiply-adds over whole vectors, lanes in order, the tail. */
    private static float laneOrderReference(float[] a, float[] b, int n, int lanes) {
        float[] acc = new float[lanes];
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            for (int j = 0; j < lanes; j++) {
                acc[j] = Math.fma(a[i + j], b[i + j], acc[j]);
            }
        }
        float s = 0;
        for (float lane : acc) {
            s += lane;
        }
        for (; i < n; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
