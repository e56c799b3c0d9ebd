package dev.attentive.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SignificanceTest {
    @Test
    void pairedTTestMatchesAHandComputedValue() {
        // Differences 1, 2, 3, 4, 5: mean 3, sd sqrt(2.5), t = 3 / (sqrt(2.5)/sqrt(5)) = 4.2426, df 4:
        // two-sided p = 0.013241 (t distribution table / scipy.stats.ttest_rel).
        double[] a = {2, 4, 6, 8, 10};
        double[] b = {1, 2, 3, 4, 5};
        assertThat(Significance.pairedTTest(a, b)).isCloseTo(0.013241, within(1e-5));
        assertThat(Significance.pairedTTest(b, a)).isCloseTo(0.013241, within(1e-5));
    }

    @Test
    void identicalModelsAreNotDifferent() {
        double[] a = {0.1, 0.5, 0.3, 0.0};
        assertThat(Significance.pairedTTest(a, a)).isEqualTo(1.0);
        assertThat(Significance.wilcoxon(a, a)).isEqualTo(1.0);
        Significance.Comparison c = Significance.compare(a, a, 200, 1);
        assertThat(c.meanDiff()).isZero();
        assertThat(c.ciLow()).isZero();
        assertThat(c.ciHigh()).isZero();
    }

    @Test
    void wilcoxonMatchesTheNormalApproximation() {
        // 20 positive differences with distinct magnitudes: W+ = 210, mu = 105, var = 717.5,
        // z = 3.9199, two-sided p = 8.86e-5.
        double[] a = new double[20];
        double[] b = new double[20];
        for (int i = 0; i < 20; i++) {
            a[i] = i + 1;
        }
        assertThat(Significance.wilcoxon(a, b)).isCloseTo(8.86e-5, within(2e-6));
    }

    @Test
    void bootstrapIntervalHoldsTheMean() {
        double[] d = new double[300];
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        double sum = 0;
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextDouble() - 0.3;
            sum += d[i];
        }
        double[] ci = Significance.bootstrapCi(d, 1000, 9);
        assertThat(ci[0]).isLessThan(sum / d.length);
        assertThat(ci[1]).isGreaterThan(sum / d.length);
        assertThat(ci[1] - ci[0]).isLessThan(0.1);
    }
}
