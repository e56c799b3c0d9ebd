package dev.attentive.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.attentive.testkit.Seeds;
import org.junit.jupiter.api.Test;

class KernelsTest {

    private static double[] reference(int m, int n, int k, float[] a, float[] b, boolean transA, boolean transB) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[p * m + i] : a[i * k + p];
                    double bv = transB ? b[j * k + p] : b[p * n + j];
                    s += av * bv;
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    private static void assertClose(float[] actual, int cOff, double[] expected, double base, int k) {
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[cOff + i]).as("element %d", i).isCloseTo(expected[i] + base, within(1e-4 * (k + 1)));
        }
    }

    @Test
    void gemmVariantsMatchDoubleReferenceOnOddShapes() {
        assertThat(Kernels.VECTOR).as("tests run with --add-modules jdk.incubator.vector").isTrue();
        Seeds.forEach(30, 7, (random, seed) -> {
            int m = 1 + random.nextInt(70);
            int n = 1 + random.nextInt(300);
            int k = random.nextInt(40);
            boolean accumulate = random.nextBoolean();
            float[] a = Seeds.floats(random, m * k, 1);
            float[] b = Seeds.floats(random, k * n, 1);
            int off = 3;
            float[] c = new float[off + m * n];
            java.util.Arrays.fill(c, 0.5f);
            float[] ao = new float[off + a.length];
            System.arraycopy(a, 0, ao, off, a.length);
            double base = accumulate ? 0.5 : 0;

            Kernels.gemmNN(m, n, k, ao, off, k, b, 0, n, c, off, n, accumulate);
            assertClose(c, off, reference(m, n, k, a, b, false, false), base, k);

            java.util.Arrays.fill(c, 0.5f);
            float[] bt = Seeds.floats(random, n * k, 1);
            Kernels.gemmNT(m, n, k, ao, off, k, bt, 0, k, c, off, n, accumulate);
            assertClose(c, off, reference(m, n, k, a, bt, false, true), base, k);

            java.util.Arrays.fill(c, 0.5f);
            float[] at = Seeds.floats(random, k * m, 1);
            Kernels.gemmTN(m, n, k, at, 0, m, b, 0, n, c, off, n, accumulate);
            assertClose(c, off, reference(m, n, k, at, b, true, false), base, k);
        });
    }

    @Test
    void scalarFallbackMatchesVectorKernels() {
        Seeds.forEach(10, 8, (random, seed) -> {
            int m = 1 + random.nextInt(40);
            int n = 1 + random.nextInt(200);
            int k = 1 + random.nextInt(70);
            float[] a = Seeds.floats(random, m * k, 1);
            float[] b = Seeds.floats(random, k * n, 1);
            float[] scalar = new float[m * n];
            float[] vector = new float[m * n];
            Kernels.scalarGemm(m, n, k, a, 0, k, 1, b, 0, n, scalar, 0, n);
            VectorKernels.gemm(m, n, k, a, 0, k, 1, b, 0, n, vector, 0, n);
            for (int i = 0; i < scalar.length; i++) {
                assertThat(vector[i]).isCloseTo(scalar[i], within(1e-4f * k));
            }
        });
    }

    @Test
    void panelScoresAreDotProducts() {
        Seeds.forEach(5, 9, (random, seed) -> {
            int dim = 1 + random.nextInt(100);
            float[] q = Seeds.floats(random, dim, 1);
            float[] panel = Seeds.floats(random, 5 + dim * Kernels.PANEL, 1);
            float[] out = new float[Kernels.PANEL];
            float max = Kernels.scorePanel(q, dim, panel, 5, out);
            float want = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < Kernels.PANEL; j++) {
                // Each lane is the FMA chain in order of components, bit for bit.
                float chain = 0f;
                for (int p = 0; p < dim; p++) {
                    chain = Math.fma(q[p], panel[5 + p * Kernels.PANEL + j], chain);
                }
                assertThat(out[j]).isEqualTo(chain);
                want = Math.max(want, chain);
            }
            assertThat(max).isEqualTo(want);
        });
    }

    @Test
    void expShiftedSumsExponentials() {
        float[] x = {1f, 2f, 3f, 0f, -1f, 2.5f, 1f, 2f, 3f, 0f, -1f, 2.5f, 1f, 2f, 3f, 0f, -1f, 2.5f};
        double expected = 0;
        for (float v : x) {
            expected += Math.exp(v - 3);
        }
        float sum = Kernels.expShifted(x, 0, x.length, 3f);
        assertThat((double) sum).isCloseTo(expected, within(1e-5));
        assertThat((double) x[2]).isCloseTo(1.0, within(1e-6));
        assertThat((double) x[4]).isCloseTo(Math.exp(-4), within(1e-6));
    }

    @Test
    void theDeterministicExponentialIsAccurateAndItsVectorAndScalarFormsAgree() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.VECTOR, "jdk.incubator.vector is not in the boot layer");
        float[] x = new float[4099];
        for (int i = 0; i < x.length; i++) {
            x[i] = -90f + 90f * i / (x.length - 1);
        }
        x[7] = Float.NEGATIVE_INFINITY;
        float[] vector = x.clone();
        Kernels.expShifted(vector, 0, vector.length, 0f);
        for (int i = 0; i < x.length; i++) {
            float scalar = VectorKernels.exp(x[i]);
            assertThat(vector[i]).as("x = %s", x[i]).isEqualTo(scalar);
            double exact = Math.exp(x[i]);
            if (x[i] >= -87f) {
                assertThat((double) scalar).as("x = %s", x[i]).isCloseTo(exact, within(3.0 * Math.ulp((float) exact)));
            } else {
                assertThat(scalar).isZero();
            }
        }
    }

    @Test
    void int8PanelScoresAreScaledCodeDotProducts() {
        Seeds.forEach(5, 10, (random, seed) -> {
            int dim = 1 + random.nextInt(100);
            int base = Kernels.PANEL * random.nextInt(3);
            float[] q = Seeds.floats(random, dim, 1);
            byte[] codes = new byte[7 + dim * Kernels.PANEL];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = (byte) (random.nextInt(255) - 127);
            }
            float[] scales = Seeds.floats(random, base + Kernels.PANEL, 0.01);
            float[] out = new float[base + Kernels.PANEL];
            float max = Kernels.scorePanelInt8(q, dim, codes, 7, scales, out, base);
            float want = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < Kernels.PANEL; j++) {
                float chain = 0f;
                for (int p = 0; p < dim; p++) {
                    chain = Math.fma(q[p], codes[7 + p * Kernels.PANEL + j], chain);
                }
                assertThat(out[base + j]).isEqualTo(chain * scales[base + j]);
                want = Math.max(want, out[base + j]);
            }
            assertThat(max).isEqualTo(want);
        });
    }

    @Test
    void collectAtLeastFindsEveryIndexAtOrAboveTheCut() {
        Seeds.forEach(5, 11, (random, seed) -> {
            int n = random.nextInt(300);
            float[] x = Seeds.floats(random, n, 1);
            int from = n == 0 ? 0 : random.nextInt(n);
            float cut = n == 0 ? 0 : x[random.nextInt(n)];
            int[] out = new int[n];
            int count = Kernels.collectAtLeast(x, from, n, cut, out);
            java.util.List<Integer> want = new java.util.ArrayList<>();
            for (int i = from; i < n; i++) {
                if (x[i] >= cut) {
                    want.add(i);
                }
            }
            assertThat(java.util.Arrays.stream(out, 0, count).boxed().toList()).isEqualTo(want);
        });
    }
}
