package dev.attentive.attention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The packed dropout draw: its rate, its scale, absent rows, and the same draw from the same seed. */
class DropoutMaskTest {
    @Test
    void keepsAboutOneMinusTheRateScaledToKeepTheExpectation() {
        int rows = 2_000;
        int dim = 24; // rows start inside mask words
        float[] mask = new float[rows];
        for (int r = 0; r < rows; r++) {
            mask[r] = r % 7 == 3 ? 0 : 1;
        }
        for (double rate : new double[] {0.1, 0.2, 0.5}) {
            DropoutMask m = DropoutMask.draw(rows, dim, (float) rate, mask, new SplittableRandom(7));
            DropoutMask again = DropoutMask.draw(rows, dim, (float) rate, mask, new SplittableRandom(7));
            long kept = 0;
            long present = 0;
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                float[] x = new float[dim];
                Arrays.fill(x, 1f);
                m.apply(r, x, 0);
                float[] y = new float[dim];
                Arrays.fill(y, 1f);
                again.apply(r, y, 0);
                assertThat(y).as("row %d, same seed", r).containsExactly(x);
                if (mask[r] == 0) {
                    assertThat(x).as("absent row %d", r).containsOnly(0f);
                    continue;
                }
                for (float v : x) {
                    present++;
                    sum += v;
                    if (v != 0) {
                        kept++;
                        assertThat((double) v).isCloseTo(1 / (1 - rate), org.assertj.core.data.Offset.offset(1e-4));
                    }
                }
            }
            double expected = present * (1 - rate);
            double sigma = Math.sqrt(present * rate * (1 - rate));
            assertThat((double) kept).as("kept at rate %s", rate).isCloseTo(expected,
                    org.assertj.core.data.Offset.offset(5 * sigma));
            assertThat(sum / present).as("mean scale at rate %s", rate).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(5 * sigma / present / (1 - rate)));
        }
        assertThat(DropoutMask.draw(rows, dim, 0f, mask, new SplittableRandom(1))).isNull();
    }

    @Test
    void addThroughPassesOnlyKeptGradients() {
        float[] mask = {1, 1};
        DropoutMask m = DropoutMask.draw(2, 70, 0.5f, mask, new SplittableRandom(3));
        float[] ones = new float[70];
        Arrays.fill(ones, 1f);
        float[] kept = ones.clone();
        m.apply(1, kept, 0);
        float[] a = new float[80];
        float[] b = new float[75];
        m.addThrough(1, ones, 0, a, 10, b, 5);
        for (int d = 0; d < 70; d++) {
            assertThat(a[10 + d]).isEqualTo(kept[d]);
            assertThat(b[5 + d]).isEqualTo(kept[d]);
        }
    }

    /**
     * Both draw paths (four lanes at once when dim is a multiple of 4, one element at a time
     * otherwise) give exactly the documented bits: element {@code d} of the {@code j}-th present row
     * reads 16-bit lane {@code d % 4} of that row's {@code (d / 4)}-th draw and is kept when it is at
     * least {@code round(rate * 65536)}. Rates cover a threshold of 0 (keep all) and lanes on both
     * sides of it.
     */
    @Test
    void bothPathsDrawTheDocumentedBits() {
        for (int dim : new int[] {4, 8, 24, 64, 68, 6, 70, 1}) {
            for (double rate : new double[] {1e-7, 0.2, 0.5, 0.9}) {
                int rows = 40;
                float[] mask = new float[rows];
                for (int r = 0; r < rows; r++) {
                    mask[r] = r % 5 == 2 ? 0 : 1;
                }
                DropoutMask m = DropoutMask.draw(rows, dim, (float) rate, mask, new SplittableRandom(dim * 31L + 5));
                SplittableRandom reference = new SplittableRandom(dim * 31L + 5);
                int threshold = (int) Math.round((float) rate * 65536.0);
                for (int r = 0; r < rows; r++) {
                    float[] x = new float[dim];
                    Arrays.fill(x, 1f);
                    m.apply(r, x, 0);
                    if (mask[r] == 0) {
                        assertThat(x).as("dim %d, absent row %d", dim, r).containsOnly(0f);
                        continue;
                    }
                    long draw = 0;
                    for (int d = 0; d < dim; d++) {
                        if (d % 4 == 0) {
                            draw = reference.nextLong();
                        }
                        boolean keep = (draw >>> (16 * (d % 4)) & 0xFFFF) >= threshold;
                        assertThat(x[d] != 0).as("dim %d, rate %s, row %d, element %d", dim, rate, r, d).isEqualTo(keep);
                    }
                }
            }
        }
    }
}
