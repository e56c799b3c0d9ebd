package dev.attentive.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.testkit.Seeds;
import org.junit.jupiter.api.Test;

/**
 * {@link Vectors#keepMasked} and {@link Vectors#axpyMasked} against a plain loop over the mask bits,
 * bit for bit, at every offset of the mask within a word (the vector path reads lanes that straddle
 * two words) and every length around the lane count; run with and without the Vector API like
 * {@link KernelsTest}.
 */
class MaskedKernelsTest {
    @Test
    void keepMaskedZeroesDroppedElementsAndScalesKeptOnes() {
        Seeds.forEach(60, 41, (random, seed) -> {
            int n = random.nextInt(100);
            long bitOff = random.nextInt(130);
            long[] bits = new long[(int) ((bitOff + n) / 64 + 2)];
            for (int w = 0; w < bits.length; w++) {
                bits[w] = random.nextLong();
            }
            float scale = (float) random.nextDouble(0.5, 3);
            float[] x = Seeds.floats(random, n + 7, 1);
            float[] got = x.clone();
            Vectors.keepMasked(got, 3, n, bits, bitOff, scale);
            float[] scalar = x.clone();
            Vectors.keepMaskedScalar(scalar, 3, n, bits, bitOff, scale, 0);
            for (int i = 0; i < x.length; i++) {
                float want = x[i];
                if (i >= 3 && i < 3 + n) {
                    long k = bitOff + i - 3;
                    want = ((bits[(int) (k / 64)] >> (k % 64)) & 1) == 1 ? x[i] * scale : 0f;
                }
                assertThat(got[i]).as("element %d", i).isEqualTo(want);
                assertThat(scalar[i]).as("scalar, element %d", i).isEqualTo(want);
            }
        });
    }

    @Test
    void axpyMaskedAddsOnlyKeptElements() {
        Seeds.forEach(60, 42, (random, seed) -> {
            int n = random.nextInt(100);
            long bitOff = random.nextInt(130);
            long[] bits = new long[(int) ((bitOff + n) / 64 + 2)];
            for (int w = 0; w < bits.length; w++) {
                bits[w] = random.nextLong();
            }
            float alpha = (float) random.nextDouble(-2, 2);
            float[] x = Seeds.floats(random, n + 4, 1);
            float[] y = Seeds.floats(random, n + 9, 1);
            float[] got = y.clone();
            Vectors.axpyMasked(alpha, x, 4, got, 9 - 4, n, bits, bitOff);
            for (int i = 0; i < y.length; i++) {
                float want = y[i];
                if (i >= 5 && i < 5 + n) {
                    long k = bitOff + i - 5;
                    if (((bits[(int) (k / 64)] >> (k % 64)) & 1) == 1) {
                        want = y[i] + alpha * x[i - 1];
                    }
                }
                assertThat(got[i]).as("element %d", i).isEqualTo(want);
            }
        });
    }
}
