package dev.attentive.attention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.testkit.Seeds;
import org.junit.jupiter.api.Test;

/** The plugins' own math on top of the kernels (the kernels' tests live in the kernels module). */
class DenseLayersTest {

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
                float actual = DenseLayers.tanh(x);
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
}
