package dev.attentive.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.attentive.testkit.Seeds;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The batched products against a plain double triple loop, on both the scalar and (when the
 * Vector API is present, as under Maven's surefire here) the vector path, over shapes that hit the
 * register tiles, the row and column remainders and several blocks of the shared dimension.
 * Float results may differ from the exact sum by rounding only: at most 1e-6 of the sum of the
 * terms' magnitudes (float accumulation over up to 700 terms is well inside that).
 */
class KernelsTest {

    @Test
    void vectorPathIsAvailableUnderTheBuild() {
        // The build runs tests with --add-modules jdk.incubator.vector; without it the vector
        // kernels below would silently go untested.
        assertThat(Kernels.VECTOR).isTrue();
    }

    @Test
    void floatProductsMatchTheExactSum() {
        Seeds.forEach(40, 21, (random, seed) -> {
            int m = 1 + random.nextInt(70);
            int n = 1 + random.nextInt(100);
            int k = 1 + random.nextInt(random.nextBoolean() ? 700 : 40);
            boolean transposedA = random.nextBoolean();
            boolean accumulate = random.nextBoolean();
            int pad = random.nextInt(3);
            int lda = (transposedA ? m : k) + pad;
            int ldb = n + pad;
            int ldc = n + random.nextInt(3);
            float[] a = Seeds.floats(random, (transposedA ? k : m) * lda + 1, 1);
            float[] b = Seeds.floats(random, k * ldb + 1, 1);
            float[] c0 = Seeds.floats(random, m * ldc + 1, 1);
            int ars = transposedA ? 1 : lda;
            int acs = transposedA ? lda : 1;
            for (boolean vector : new boolean[] {false, true}) {
                if (vector && !Kernels.VECTOR) {
                    continue;
                }
                float[] c = c0.clone();
                Kernels.strided(m, n, k, a, 1, ars, acs, b, 1, ldb, c, 1, ldc, accumulate, vector);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double exact = accumulate ? c0[1 + i * ldc + j] : 0;
                        double magnitude = Math.abs(exact);
                        for (int p = 0; p < k; p++) {
                            double t = (double) a[1 + i * ars + p * acs] * b[1 + p * ldb + j];
                            exact += t;
                            magnitude += Math.abs(t);
                        }
                        assertThat((double) c[1 + i * ldc + j])
                                .as("vector=%s m=%d n=%d k=%d transposedA=%s C[%d][%d]", vector, m, n, k, transposedA,
                                        i, j)
                                .isCloseTo(exact, within(1e-6 * magnitude + 1e-7));
                    }
                    // Padding between rows is untouched.
                    for (int j = n; j < ldc; j++) {
                        assertThat(c[1 + i * ldc + j]).isEqualTo(c0[1 + i * ldc + j]);
                    }
                }
            }
        });
    }

    @Test
    void doubleProductsMatchTheExactSum() {
        Seeds.forEach(30, 22, (random, seed) -> {
            int m = 1 + random.nextInt(40);
            int n = 1 + random.nextInt(80);
            int k = 1 + random.nextInt(random.nextBoolean() ? 600 : 30);
            boolean accumulate = random.nextBoolean();
            double[] a = doubles(random, m * k + 2);
            double[] b = doubles(random, k * n + 2);
            double[] c0 = doubles(random, m * n + 2);
            for (boolean vector : new boolean[] {false, true}) {
                if (vector && !Kernels.VECTOR) {
                    continue;
                }
                double[] c = c0.clone();
                Kernels.nn(m, n, k, a, 2, k, b, 1, n, c, 2, n, accumulate, vector);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double exact = accumulate ? c0[2 + i * n + j] : 0;
                        double magnitude = Math.abs(exact);
                        for (int p = 0; p < k; p++) {
                            exact += a[2 + i * k + p] * b[1 + p * n + j];
                            magnitude += Math.abs(a[2 + i * k + p] * b[1 + p * n + j]);
                        }
                        assertThat(c[2 + i * n + j]).as("vector=%s m=%d n=%d k=%d C[%d][%d]", vector, m, n, k, i, j)
                                .isCloseTo(exact, within(1e-14 * magnitude));
                    }
                }
                assertThat(c[0]).isEqualTo(c0[0]);
                assertThat(c[1]).isEqualTo(c0[1]);
            }
        });
    }

    @Test
    void vectorDotAndAxpyMatchTheScalarOnes() {
        assumeThat(Kernels.VECTOR).isTrue();
        Seeds.forEach(30, 23, (random, seed) -> {
            int n = random.nextInt(80);
            float[] x = Seeds.floats(random, n + 3, 1);
            float[] y = Seeds.floats(random, n + 5, 1);
            double[] xd = doubles(random, n + 3);
            double[] yd = doubles(random, n + 5);
            float alpha = (float) random.nextDouble(-2, 2);
            assertThat((double) VectorKernels.dot(x, 3, y, 5, n))
                    .isCloseTo(DenseOps.dot(x, 3, y, 5, n), within(1e-5 * (n + 1)));
            assertThat(VectorKernels.dot(xd, 3, yd, 5, n))
                    .isCloseTo(DenseOps.dot(xd, 3, yd, 5, n), within(1e-13 * (n + 1)));
            float[] yv = y.clone();
            float[] ys = y.clone();
            VectorKernels.axpy(alpha, x, 3, yv, 5, n);
            DenseOps.axpy(alpha, x, 3, ys, 5, n);
            for (int i = 0; i < ys.length; i++) {
                assertThat(yv[i]).isCloseTo(ys[i], within(1e-6f));
            }
            double[] ydv = yd.clone();
            double[] yds = yd.clone();
            VectorKernels.axpy(alpha, xd, 3, ydv, 5, n);
            DenseOps.axpy(alpha, xd, 3, yds, 5, n);
            for (int i = 0; i < yds.length; i++) {
                assertThat(ydv[i]).isCloseTo(yds[i], within(1e-14));
            }
        });
    }

    @Test
    void tanhMatchesTheJdkToWithinOneFloatUlp() {
        Seeds.forEach(1, 24, (random, seed) -> {
            int exact = 0;
            int checked = 0;
            for (int i = 0; i < 200_000; i++) {
                // Log-uniform magnitudes from 1e-12 to 30, both signs, plus the series threshold.
                double x = Math.copySign(Math.pow(10, random.nextDouble(-12, 1.5)), random.nextBoolean() ? 1 : -1);
                if (i < 4) {
                    x = new double[] {1e-4, -1e-4, Math.nextDown(1e-4), 0}[i];
                }
                float expected = (float) Math.tanh(x);
                float actual = DenseOps.tanh(x);
                assertThat(Math.abs(actual - expected)).as("tanh(%s)", x).isLessThanOrEqualTo(Math.ulp(expected));
                checked++;
                if (actual == expected) {
                    exact++;
                }
            }
            // Nearly always the same float: only ties at the rounding boundary may differ.
            assertThat(exact).isGreaterThan(checked - checked / 1000);
        });
    }

    private static double[] doubles(SplittableRandom random, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextDouble(-1, 1);
        }
        return out;
    }
}
