package dev.attentive.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Every kernel against a plain double reference, seeded and randomized over shapes that hit the
 * register tiles, the row and column remainders and several blocks of the shared dimension, on the
 * vector path and on the scalar one (called directly here; the build also reruns this suite with
 * {@code -Dattentive.vector=false}). Float results may differ from the exact sum by rounding only:
 * at most 1e-6 of the sum of the terms' magnitudes. Where a kernel promises the same bits on both
 * paths (panel scores, thresholds, the deterministic exponential), the test checks bits.
 */
class KernelsTest {

    @Test
    void vectorPathIsOnUnlessSwitchedOff() {
        // The build runs tests with --add-modules jdk.incubator.vector; without it the vector kernels
        // below would silently go untested.
        boolean off = "false".equals(System.getProperty(VectorSupport.PROPERTY));
        assertThat(VectorSupport.enabled()).as("-D%s=%s", VectorSupport.PROPERTY,
                System.getProperty(VectorSupport.PROPERTY)).isEqualTo(!off);
    }

    private static boolean[] paths() {
        return VectorSupport.enabled() ? new boolean[] {false, true} : new boolean[] {false};
    }

    @Test
    void floatProductsMatchTheExactSumInBothOrdersOnBothPaths() {
        Seeds.forEach(40, 21, (random, seed) -> {
            int m = 1 + random.nextInt(70);
            int n = 1 + random.nextInt(random.nextBoolean() ? 300 : 100);
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
            for (Gemm.ScalarOrder order : Gemm.ScalarOrder.values()) {
                for (boolean vector : paths()) {
                    float[] c = c0.clone();
                    Gemm.gemm(m, n, k, a, 1, ars, acs, b, 1, ldb, c, 1, ldc, accumulate, order, vector);
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
                                    .as("%s vector=%s m=%d n=%d k=%d transposedA=%s C[%d][%d]", order, vector, m, n,
                                            k, transposedA, i, j)
                                    .isCloseTo(exact, within(1e-6 * magnitude + 1e-7));
                        }
                        // Padding between rows is untouched.
                        for (int j = n; j < ldc; j++) {
                            assertThat(c[1 + i * ldc + j]).isEqualTo(c0[1 + i * ldc + j]);
                        }
                    }
                }
            }
        });
    }

    @Test
    void vectorColumnsAreOneFmaChainPerElement() {
        assumeThat(VectorSupport.enabled()).isTrue();
        Seeds.forEach(10, 25, (random, seed) -> {
            int m = 1 + random.nextInt(9);
            int n = 64 * (1 + random.nextInt(5));
            int k = 1 + random.nextInt(random.nextBoolean() ? 600 : 40);
            float[] a = Seeds.floats(random, m * k, 1);
            float[] b = Seeds.floats(random, k * n, 1);
            float[] c = Seeds.floats(random, m * n, 1);
            float[] c0 = c.clone();
            Gemm.gemm(m, n, k, a, 0, k, 1, b, 0, n, c, 0, n, true, Gemm.ScalarOrder.ROW_STREAMING, true);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float chain = c0[i * n + j];
                    for (int p = 0; p < k; p++) {
                        chain = Math.fma(b[p * n + j], a[i * k + p], chain);
                    }
                    assertThat(c[i * n + j]).as("C[%d][%d]", i, j).isEqualTo(chain);
                }
            }
        });
    }

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
            assertThat((double) actual[cOff + i]).as("element %d", i).isCloseTo(expected[i] + base,
                    within(1e-4 * (k + 1)));
        }
    }

    @Test
    void layoutShorthandsMatchTheDoubleReference() {
        Seeds.forEach(30, 7, (random, seed) -> {
            int m = 1 + random.nextInt(70);
            int n = 1 + random.nextInt(300);
            int k = random.nextInt(40);
            boolean accumulate = random.nextBoolean();
            float[] a = Seeds.floats(random, m * k, 1);
            float[] b = Seeds.floats(random, k * n, 1);
            int off = 3;
            float[] c = new float[off + m * n];
            Arrays.fill(c, 0.5f);
            float[] ao = new float[off + a.length];
            System.arraycopy(a, 0, ao, off, a.length);
            double base = accumulate ? 0.5 : 0;

            Gemm.gemmNN(m, n, k, ao, off, k, b, 0, n, c, off, n, accumulate);
            assertClose(c, off, reference(m, n, k, a, b, false, false), base, k);

            Arrays.fill(c, 0.5f);
            float[] bt = Seeds.floats(random, n * k, 1);
            Gemm.gemmNT(m, n, k, ao, off, k, bt, 0, k, c, off, n, accumulate);
            assertClose(c, off, reference(m, n, k, a, bt, false, true), base, k);

            Arrays.fill(c, 0.5f);
            float[] at = Seeds.floats(random, k * m, 1);
            Gemm.gemmTN(m, n, k, at, 0, m, b, 0, n, c, off, n, accumulate);
            assertClose(c, off, reference(m, n, k, at, b, true, false), base, k);
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
            for (boolean vector : paths()) {
                double[] c = c0.clone();
                Gemm.gemmNN(m, n, k, a, 2, k, b, 1, n, c, 2, n, accumulate, vector);
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
    void gemmRejectsAMissingOrderWithTheFix() {
        assertThatThrownBy(() -> Gemm.gemm(1, 1, 1, new float[1], 0, 1, 1, new float[1], 0, 1, new float[1], 0, 1,
                false, null)).isInstanceOf(NullPointerException.class).hasMessageContaining("ROW_STREAMING");
    }

    @Test
    void dotProductsAndAxpysMatchThePlainReference() {
        Seeds.forEach(30, 23, (random, seed) -> {
            int n = random.nextInt(80);
            float[] x = Seeds.floats(random, n + 3, 1);
            float[] y = Seeds.floats(random, n + 5, 1);
            double[] xd = doubles(random, n + 3);
            double[] yd = doubles(random, n + 5);
            float alpha = (float) random.nextDouble(-2, 2);
            double exact = 0;
            double exactD = 0;
            double exactMixed = 0;
            for (int i = 0; i < n; i++) {
                exact += (double) x[3 + i] * y[5 + i];
                exactD += xd[3 + i] * yd[5 + i];
                exactMixed += x[3 + i] * yd[5 + i];
            }
            double tolerance = 1e-5 * (n + 1);
            assertThat((double) Vectors.dot(x, 3, y, 5, n)).isCloseTo(exact, within(tolerance));
            assertThat((double) Vectors.dotDoubleAccumulate(x, 3, y, 5, n)).isCloseTo(exact, within(1e-6));
            assertThat((double) Vectors.dotLanes(x, 3, y, 5, n)).isCloseTo(exact, within(tolerance));
            assertThat(Vectors.dotDoubleAccumulate(xd, 3, yd, 5, n)).isCloseTo(exactD, within(1e-13 * (n + 1)));
            assertThat(Vectors.dotLanes(xd, 3, yd, 5, n)).isCloseTo(exactD, within(1e-13 * (n + 1)));
            assertThat(Vectors.dotDoubleAccumulate(x, 3, yd, 5, n)).isCloseTo(exactMixed, within(1e-13 * (n + 1)));
            if (VectorSupport.enabled()) {
                assertThat((double) VectorOps.dot(x, 3, y, 5, n)).isCloseTo(exact, within(tolerance));
                assertThat(VectorOps.dot(xd, 3, yd, 5, n)).isCloseTo(exactD, within(1e-13 * (n + 1)));
            } else {
                // Without the Vector API the lane variants are exactly the scalar double ones.
                assertThat(Vectors.dotLanes(x, 3, y, 5, n)).isEqualTo(Vectors.dotDoubleAccumulate(x, 3, y, 5, n));
            }

            float[] plain = y.clone();
            float[] lanes = y.clone();
            Vectors.axpy(alpha, x, 3, plain, 5, n);
            Vectors.axpyLanes(alpha, x, 3, lanes, 5, n);
            double[] plainD = yd.clone();
            double[] lanesD = yd.clone();
            Vectors.axpy(alpha, xd, 3, plainD, 5, n);
            Vectors.axpyLanes(alpha, xd, 3, lanesD, 5, n);
            float[] mixed = y.clone();
            Vectors.axpy((double) alpha, xd, 3, mixed, 5, n);
            for (int i = 0; i < y.length; i++) {
                boolean inside = i >= 5 && i < 5 + n;
                double want = inside ? y[i] + (double) alpha * x[i - 2] : y[i];
                double wantD = inside ? yd[i] + alpha * xd[i - 2] : yd[i];
                double wantMixed = inside ? y[i] + alpha * xd[i - 2] : y[i];
                assertThat((double) plain[i]).isCloseTo(want, within(1e-6));
                assertThat((double) lanes[i]).isCloseTo(want, within(1e-6));
                assertThat(plainD[i]).isCloseTo(wantD, within(1e-14));
                assertThat(lanesD[i]).isCloseTo(wantD, within(1e-14));
                assertThat((double) mixed[i]).isCloseTo(wantMixed, within(1e-6));
            }
        });
    }

    @Test
    void panelScoresAreFmaChainsOnBothPaths() {
        Seeds.forEach(5, 9, (random, seed) -> {
            int dim = 1 + random.nextInt(100);
            float[] q = Seeds.floats(random, dim, 1);
            float[] panel = Seeds.floats(random, 5 + dim * PanelScorer.WIDTH, 1);
            float[] out = new float[PanelScorer.WIDTH];
            float[] scalarOut = new float[PanelScorer.WIDTH];
            float max = PanelScorer.score(q, dim, panel, 5, out);
            float scalarMax = PanelScorer.scoreScalar(q, dim, panel, 5, scalarOut);
            float want = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < PanelScorer.WIDTH; j++) {
                // Each lane is the FMA chain in order of components, bit for bit.
                float chain = 0f;
                for (int p = 0; p < dim; p++) {
                    chain = Math.fma(q[p], panel[5 + p * PanelScorer.WIDTH + j], chain);
                }
                assertThat(out[j]).isEqualTo(chain);
                assertThat(scalarOut[j]).isEqualTo(chain);
                want = Math.max(want, chain);
            }
            assertThat(max).isEqualTo(want);
            assertThat(scalarMax).isEqualTo(want);
        });
    }

    @Test
    void int8PanelScoresAreScaledCodeDotProductsOnBothPaths() {
        Seeds.forEach(5, 10, (random, seed) -> {
            int dim = 1 + random.nextInt(100);
            int base = PanelScorer.WIDTH * random.nextInt(3);
            float[] q = Seeds.floats(random, dim, 1);
            byte[] codes = new byte[7 + dim * PanelScorer.WIDTH];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = (byte) (random.nextInt(255) - 127);
            }
            float[] scales = Seeds.floats(random, base + PanelScorer.WIDTH, 0.01);
            float[] out = new float[base + PanelScorer.WIDTH];
            float[] scalarOut = new float[base + PanelScorer.WIDTH];
            float max = PanelScorer.scoreInt8(q, dim, codes, 7, scales, out, base);
            float scalarMax = PanelScorer.scoreInt8Scalar(q, dim, codes, 7, scales, scalarOut, base);
            float want = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < PanelScorer.WIDTH; j++) {
                float chain = 0f;
                for (int p = 0; p < dim; p++) {
                    chain = Math.fma(q[p], codes[7 + p * PanelScorer.WIDTH + j], chain);
                }
                assertThat(out[base + j]).isEqualTo(chain * scales[base + j]);
                assertThat(scalarOut[base + j]).isEqualTo(chain * scales[base + j]);
                want = Math.max(want, out[base + j]);
            }
            assertThat(max).isEqualTo(want);
            assertThat(scalarMax).isEqualTo(want);
        });
    }

    @Test
    void collectAtLeastFindsEveryIndexAtOrAboveTheCutOnBothPaths() {
        Seeds.forEach(5, 11, (random, seed) -> {
            int n = random.nextInt(300);
            float[] x = Seeds.floats(random, n, 1);
            int from = n == 0 ? 0 : random.nextInt(n);
            float cut = n == 0 ? 0 : x[random.nextInt(n)];
            List<Integer> want = new ArrayList<>();
            for (int i = from; i < n; i++) {
                if (x[i] >= cut) {
                    want.add(i);
                }
            }
            int[] out = new int[n];
            int count = Vectors.collectAtLeast(x, from, n, cut, out);
            assertThat(Arrays.stream(out, 0, count).boxed().toList()).isEqualTo(want);
            int[] scalarOut = new int[n];
            int scalarCount = Vectors.collectAtLeastScalar(x, from, n, cut, scalarOut);
            assertThat(Arrays.stream(scalarOut, 0, scalarCount).boxed().toList()).isEqualTo(want);
        });
    }

    @Test
    void affineMaxScalesShiftsAndFindsTheMaximumOnBothPaths() {
        Seeds.forEach(10, 12, (random, seed) -> {
            int n = random.nextInt(100);
            float scale = (float) random.nextDouble(0.5, 20);
            float[] x = Seeds.floats(random, n + 2, 1);
            float[] shift = random.nextBoolean() ? Seeds.floats(random, n, 1) : null;
            float[] vector = x.clone();
            float[] scalar = x.clone();
            float max = Softmax.affineMax(vector, 2, n, scale, shift);
            float scalarMax = Softmax.affineMaxScalar(scalar, 2, n, scale, shift);
            float want = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                float z = scale * x[2 + j] - (shift == null ? 0f : shift[j]);
                assertThat(vector[2 + j]).isEqualTo(z);
                assertThat(scalar[2 + j]).isEqualTo(z);
                want = Math.max(want, z);
            }
            assertThat(max).isEqualTo(want);
            assertThat(scalarMax).isEqualTo(want);
        });
    }

    @Test
    void expShiftedSumsExponentialsOnBothPaths() {
        float[] x = {1f, 2f, 3f, 0f, -1f, 2.5f, 1f, 2f, 3f, 0f, -1f, 2.5f, 1f, 2f, 3f, 0f, -1f, 2.5f};
        double expected = 0;
        for (float v : x) {
            expected += Math.exp(v - 3);
        }
        for (boolean vector : paths()) {
            float[] y = x.clone();
            float sum = vector ? Softmax.expShifted(y, 0, y.length, 3f) : Softmax.expShiftedScalar(y, 0, y.length, 3f);
            assertThat((double) sum).as("vector=%s", vector).isCloseTo(expected, within(1e-5));
            assertThat((double) y[2]).isCloseTo(1.0, within(1e-6));
            assertThat((double) y[4]).isCloseTo(Math.exp(-4), within(1e-6));
        }
    }

    @Test
    void theDeterministicExponentialIsAccurateAndItsVectorAndScalarFormsAgree() {
        assumeThat(VectorSupport.enabled()).as("jdk.incubator.vector is not in the boot layer").isTrue();
        float[] x = new float[4099];
        for (int i = 0; i < x.length; i++) {
            x[i] = -90f + 90f * i / (x.length - 1);
        }
        x[7] = Float.NEGATIVE_INFINITY;
        float[] vector = x.clone();
        Softmax.expShifted(vector, 0, vector.length, 0f);
        for (int i = 0; i < x.length; i++) {
            float scalar = VectorOps.exp(x[i]);
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
    void maskedSoftmaxAndItsBackwardMatchTheReference() {
        Seeds.forEach(20, 13, (random, seed) -> {
            int n = 1 + random.nextInt(12);
            float[] scores = Seeds.floats(random, n + 1, 3);
            float[] mask = random.nextBoolean() ? null : new float[n + 2];
            if (mask != null) {
                for (int i = 0; i < mask.length; i++) {
                    mask[i] = random.nextInt(3) == 0 ? 0f : 1f;
                }
            }
            double[] scoresD = new double[n + 1];
            for (int i = 0; i < scoresD.length; i++) {
                scoresD[i] = scores[i];
            }
            double[] want = new double[n];
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (mask == null || mask[2 + i] != 0) {
                    max = Math.max(max, scores[1 + i]);
                }
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                if (mask == null || mask[2 + i] != 0) {
                    want[i] = Math.exp(scores[1 + i] - max);
                    sum += want[i];
                }
            }
            float[] out = new float[n];
            double[] outD = new double[n];
            boolean any = Softmax.maskedForward(scores, 1, mask, 2, n, out, 0);
            boolean anyD = Softmax.maskedForward(scoresD, 1, mask, 2, n, outD, 0);
            assertThat(any).isEqualTo(sum > 0);
            assertThat(anyD).isEqualTo(sum > 0);
            for (int i = 0; i < n; i++) {
                double w = sum > 0 ? want[i] / sum : 0;
                assertThat((double) out[i]).isCloseTo(w, within(1e-7));
                assertThat(outD[i]).isCloseTo(w, within(1e-15));
            }

            float[] dw = Seeds.floats(random, n, 1);
            double[] dwD = new double[n];
            double mean = 0;
            for (int i = 0; i < n; i++) {
                dwD[i] = dw[i];
                mean += outD[i] * dwD[i];
            }
            float[] ds = new float[n];
            double[] dsD = new double[n];
            Softmax.backward(out, 0, dw, 0, n, ds, 0);
            Softmax.backward(outD, 0, dwD, 0, n, dsD, 0);
            for (int i = 0; i < n; i++) {
                double g = outD[i] * (dwD[i] - mean);
                assertThat((double) ds[i]).isCloseTo(g, within(1e-6));
                assertThat(dsD[i]).isCloseTo(g, within(1e-14));
            }
        });
    }

    @Test
    void topKKeepsTheBestWithTiesToTheLowerKeyInAnyOfferOrder() {
        TopK top = new TopK(1);
        Seeds.forEach(30, 14, (random, seed) -> {
            int n = random.nextInt(200);
            int k = random.nextInt(20);
            long[] keys = new long[n];
            float[] scores = new float[n];
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                keys[i] = random.nextBoolean() ? i : ((long) random.nextInt(4) << 32) | i;
                scores[i] = random.nextInt(10) / 4f; // many ties
                order.add(i);
            }
            java.util.Collections.shuffle(order, new java.util.Random(seed));
            top.reset(k);
            for (int i : order) {
                top.offer(keys[i], scores[i]);
            }
            List<Integer> want = new ArrayList<>(order);
            want.sort(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingLong(i -> keys[i]));
            want = want.subList(0, Math.min(k, n));
            assertThat(top.size()).isEqualTo(want.size());
            assertThat(top.full()).isEqualTo(want.size() == k);
            long[] outKeys = new long[top.size()];
            float[] outScores = new float[top.size()];
            top.drainBestFirst(outKeys, outScores);
            assertThat(top.size()).isZero();
            for (int r = 0; r < want.size(); r++) {
                assertThat(outKeys[r]).as("rank %d", r).isEqualTo(keys[want.get(r)]);
                assertThat(outScores[r]).isEqualTo(scores[want.get(r)]);
            }
        });
    }

    @Test
    void topKDrainsIntKeysAndChecksK() {
        TopK top = new TopK(3);
        for (int row = 0; row < 10; row++) {
            if (top.wouldAccept(row % 4)) {
                top.offer(row, row % 4);
            }
        }
        assertThat(top.threshold()).isEqualTo(2f);
        int[] rows = new int[3];
        float[] scores = new float[3];
        top.drainBestFirst(rows, scores);
        assertThat(rows).containsExactly(3, 7, 2);
        assertThat(scores).containsExactly(3f, 3f, 2f);
        TopK none = new TopK(0);
        assertThat(none.wouldAccept(1f)).isFalse();
        none.offer(1, 1f);
        assertThat(none.size()).isZero();
        assertThatThrownBy(() -> top.reset(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -1");
    }

    @Test
    void parallelForCoversEveryIndexOnceAndPropagatesFailures() {
        try (ParallelFor parallel = new ParallelFor(3, "kernels-test")) {
            assertThat(parallel.threads()).isEqualTo(3);
            for (int n : new int[] {0, 1, 2, 7, 1000}) {
                AtomicIntegerArray seen = new AtomicIntegerArray(n);
                parallel.range(n, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        seen.incrementAndGet(i);
                    }
                });
                AtomicIntegerArray each = new AtomicIntegerArray(n);
                parallel.forEach(n, each::incrementAndGet);
                for (int i = 0; i < n; i++) {
                    assertThat(seen.get(i)).as("range n=%d index %d", n, i).isEqualTo(1);
                    assertThat(each.get(i)).as("forEach n=%d index %d", n, i).isEqualTo(1);
                }
            }
            int[] ran = new int[4];
            parallel.all(() -> ran[0] = 1, () -> ran[1] = 2, () -> ran[2] = 3, () -> ran[3] = 4);
            assertThat(ran).containsExactly(1, 2, 3, 4);
            assertThatThrownBy(() -> parallel.forEach(100, i -> {
                if (i == 57) {
                    throw new IllegalArgumentException("bad index " + i);
                }
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad index 57");
            assertThatThrownBy(() -> parallel.range(10, (from, to) -> {
                throw new ArithmeticException("part " + from);
            })).isInstanceOf(ArithmeticException.class).hasMessage("part 0");
        }
        AtomicIntegerArray once = new AtomicIntegerArray(50);
        ParallelFor.forEach(50, 4, once::incrementAndGet);
        for (int i = 0; i < 50; i++) {
            assertThat(once.get(i)).isEqualTo(1);
        }
        assertThatThrownBy(() -> new ParallelFor(0, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0").hasMessageContaining("use 1");
        ParallelFor closed = new ParallelFor(2, "closed");
        closed.close();
        assertThatThrownBy(() -> closed.forEach(10, i -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private static double[] doubles(SplittableRandom random, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextDouble(-1, 1);
        }
        return out;
    }
}
