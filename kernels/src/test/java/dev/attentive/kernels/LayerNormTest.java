package dev.attentive.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.attentive.testkit.Seeds;
import java.util.SplittableRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link LayerNorm} against a double-precision reference (forward) and central differences of it
 * (backward), in place and not, at lengths that are below, at and off a multiple of the vector
 * width; and its lane sums in their documented order, with the same bits before and after the JIT
 * compiles them.
 */
class LayerNormTest {
    private static final float EPS = 1e-5f;

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 16, 64, 69})
    void forwardMatchesADoubleReference(int n) {
        SplittableRandom random = new SplittableRandom(7 + n);
        float[] z = gaussian(random, n, 3f, 1.5f);
        float[] gain = gaussian(random, n, 1f, 0.3f);
        float[] shift = gaussian(random, n, 0f, 0.5f);
        double[] ref = referenceForward(z, n, gain, shift);
        float[] normed = new float[n + 2];
        float[] y = new float[n + 3];
        float inv = LayerNorm.forward(z, 0, n, EPS, gain, shift, normed, 2, y, 3);
        for (int d = 0; d < n; d++) {
            assertThat((double) y[3 + d]).as("y[%d] of %d", d, n).isCloseTo(ref[d], within(2e-5));
        }
        assertThat((double) inv).isCloseTo(referenceInvStd(z, n), within(2e-5 * referenceInvStd(z, n)));
        // In place: normed written over z gives the same values as into a separate array.
        float[] again = z.clone();
        float[] y2 = new float[n];
        float inv2 = LayerNorm.forward(again, 0, n, EPS, gain, shift, again, 0, y2, 0);
        assertThat(inv2).isEqualTo(inv);
        for (int d = 0; d < n; d++) {
            assertThat(again[d]).isEqualTo(normed[2 + d]);
            assertThat(y2[d]).isEqualTo(y[3 + d]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 16, 64, 69})
    void backwardMatchesCentralDifferences(int n) {
        SplittableRandom random = new SplittableRandom(11 + n);
        float[] z = gaussian(random, n, -1f, 2f);
        float[] gain = gaussian(random, n, 1f, 0.3f);
        float[] shift = gaussian(random, n, 0f, 0.5f);
        float[] dy = gaussian(random, n, 0f, 1f); // the loss is sum_d dy[d] * y[d]
        float[] normed = new float[n];
        float[] y = new float[n];
        float inv = LayerNorm.forward(z, 0, n, EPS, gain, shift, normed, 0, y, 0);
        float[] gradGain = gaussian(random, n, 0f, 1f); // added to, not overwritten
        float[] gradShift = gaussian(random, n, 0f, 1f);
        float[] gainBefore = gradGain.clone();
        float[] shiftBefore = gradShift.clone();
        float[] dz = new float[n + 1];
        LayerNorm.backward(dy, 0, normed, 0, n, inv, gain, gradGain, gradShift, 0, dz, 1);
        double h = 1e-4;
        for (int d = 0; d < n; d++) {
            double[] zp = toDouble(z);
            double[] zm = toDouble(z);
            zp[d] += h;
            zm[d] -= h;
            double numeric = (loss(zp, n, gain, shift, dy) - loss(zm, n, gain, shift, dy)) / (2 * h);
            assertThat((double) dz[1 + d]).as("dz[%d] of %d", d, n)
                    .isCloseTo(numeric, within(1e-3 * Math.max(1, Math.abs(numeric))));
            double nd = (z[d] - referenceMean(z, n)) * referenceInvStd(z, n);
            assertThat((double) gradGain[d] - gainBefore[d]).isCloseTo(dy[d] * nd, within(1e-4));
            assertThat(gradShift[d] - shiftBefore[d]).isCloseTo(dy[d], within(1e-6f));
        }
        // dz may overwrite dy.
        float[] inPlace = dy.clone();
        LayerNorm.backward(inPlace, 0, normed, 0, n, inv, gain, new float[n], new float[n], 0, inPlace, 0);
        for (int d = 0; d < n; d++) {
            assertThat(inPlace[d]).isEqualTo(dz[1 + d]);
        }
    }

    @Test
    void laneSumsFollowTheirOrderAndKeepTheirBitsAfterCompilation() {
        SplittableRandom random = new SplittableRandom(2020);
        int n = 64 + 5;
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            // Magnitudes over several decades, so that another summation order changes the bits.
            z[i] = (float) (Seeds.gaussian(random) * Math.pow(10, random.nextInt(4)));
        }
        float[] gain = gaussian(random, n, 1f, 0.3f);
        float[] shift = new float[n];
        float[] dy = gaussian(random, n, 0f, 1f);
        float[] normed = new float[n];
        float[] y = new float[n];
        float[] dz = new float[n];
        float first = LayerNorm.forward(z, 0, n, EPS, gain, shift, normed, 0, y, 0);
        LayerNorm.backward(dy, 0, normed, 0, n, first, gain, new float[n], new float[n], 0, dz, 0);
        float[] firstDz = dz.clone();
        if (VectorSupport.enabled()) {
            int lanes = VectorOps.floatLanes();
            float[] lanesSum = new float[lanes];
            for (int i = 0; i < n - n % lanes; i++) {
                lanesSum[i % lanes] += z[i];
            }
            float total = rotationOrder(lanesSum);
            for (int i = n - n % lanes; i < n; i++) {
                total += z[i];
            }
            float mean = total / n;
            float[] sq = new float[lanes];
            for (int i = 0; i < n - n % lanes; i++) {
                float c = z[i] - mean;
                sq[i % lanes] = Math.fma(c, c, sq[i % lanes]);
            }
            float var = rotationOrder(sq);
            for (int i = n - n % lanes; i < n; i++) {
                float c = z[i] - mean;
                var = Math.fma(c, c, var);
            }
            assertThat(first).isEqualTo((float) (1 / Math.sqrt((double) var / n + EPS)));
        }
        for (int c = 0; c < 100_000; c++) {
            float again = LayerNorm.forward(z, 0, n, EPS, gain, shift, normed, 0, y, 0);
            LayerNorm.backward(dy, 0, normed, 0, n, again, gain, new float[n], new float[n], 0, dz, 0);
            if (Float.floatToRawIntBits(again) != Float.floatToRawIntBits(first) || !Arrays.equals(dz, firstDz)) {
                assertThat(again).as("call %d", c).isEqualTo(first);
                assertThat(dz).as("call %d", c).isEqualTo(firstDz);
            }
        }
    }

    /** The documented order: add the lanes rotated by half the width, then a quarter, ...; lane 0. */
    private static float rotationOrder(float[] lanes) {
        float[] v = lanes.clone();
        for (int w = v.length / 2; w >= 1; w /= 2) {
            float[] next = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                next[i] = v[i] + v[(i + w) % v.length];
            }
            v = next;
        }
        return v[0];
    }

    private static double loss(double[] z, int n, float[] gain, float[] shift, float[] dy) {
        double mean = 0;
        for (int d = 0; d < n; d++) {
            mean += z[d];
        }
        mean /= n;
        double var = 0;
        for (int d = 0; d < n; d++) {
            var += (z[d] - mean) * (z[d] - mean);
        }
        double inv = 1 / Math.sqrt(var / n + EPS);
        double l = 0;
        for (int d = 0; d < n; d++) {
            l += dy[d] * (gain[d] * (z[d] - mean) * inv + shift[d]);
        }
        return l;
    }

    private static double[] referenceForward(float[] z, int n, float[] gain, float[] shift) {
        double mean = referenceMean(z, n);
        double inv = referenceInvStd(z, n);
        double[] y = new double[n];
        for (int d = 0; d < n; d++) {
            y[d] = gain[d] * (z[d] - mean) * inv + shift[d];
        }
        return y;
    }

    private static double referenceMean(float[] z, int n) {
        double mean = 0;
        for (int d = 0; d < n; d++) {
            mean += z[d];
        }
        return mean / n;
    }

    private static double referenceInvStd(float[] z, int n) {
        double mean = referenceMean(z, n);
        double var = 0;
        for (int d = 0; d < n; d++) {
            var += (z[d] - mean) * (z[d] - mean);
        }
        return 1 / Math.sqrt(var / n + EPS);
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    private static float[] gaussian(SplittableRandom random, int n, float mean, float sd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (mean + sd * Seeds.gaussian(random));
        }
        return x;
    }
}
