package dev.attentive.eval.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Paired comparisons of two models' per-user values: the paired t-test, the Wilcoxon signed-rank
 * test (normal approximation with tie correction; zero differences dropped) and a seeded percentile
 * bootstrap confidence interval of the mean difference. Stateless and thread safe.
 */
public final class Significance {
    private Significance() {
    }

    /**
     * The result of comparing model a with model b on one metric.
     *
     * @param meanDiff mean of a - b
     * @param ciLow lower end of the 95% bootstrap interval of the mean difference
     * @param ciHigh upper end
     * @param tTestP two-sided p-value of the paired t-test (1 when every difference is equal)
     * @param wilcoxonP two-sided p-value of the Wilcoxon signed-rank test (1 when all differences are 0)
     */
    public record Comparison(double meanDiff, double ciLow, double ciHigh, double tTestP, double wilcoxonP) {
    }

    /**
     * Compares paired values.
     *
     * @param a per-user values of model a
     * @param b per-user values of model b, same users in the same order
     * @param bootstrapSamples resamples for the interval, at least 100
     * @param seed the bootstrap's seed
     * @return the comparison
     */
    public static Comparison compare(double[] a, double[] b, int bootstrapSamples, long seed) {
        double[] d = differences(a, b);
        double[] ci = bootstrapCi(d, bootstrapSamples, seed);
        return new Comparison(mean(d), ci[0], ci[1], pairedTTest(a, b), wilcoxon(a, b));
    }

    /**
     * Two-sided p-value of the paired t-test.
     *
     * @param a values of model a
     * @param b values of model b
     * @return the p-value
     */
    public static double pairedTTest(double[] a, double[] b) {
        double[] d = differences(a, b);
        int n = d.length;
        if (n < 2) {
            return 1;
        }
        double mean = mean(d);
        double ss = 0;
        for (double x : d) {
            ss += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        if (sd == 0) {
            return mean == 0 ? 1 : 0;
        }
        double t = mean / (sd / Math.sqrt(n));
        double df = n - 1;
        // P(|T| > t) = I_{df/(df+t^2)}(df/2, 1/2)
        return regularizedBeta(df / (df + t * t), df / 2, 0.5);
    }

    /**
     * Two-sided p-value of the Wilcoxon signed-rank test, normal approximation with tie correction.
     *
     * @param a values of model a
     * @param b values of model b
     * @return the p-value
     */
    public static double wilcoxon(double[] a, double[] b) {
        double[] d = Arrays.stream(differences(a, b)).filter(x -> x != 0).toArray();
        int n = d.length;
        if (n == 0) {
            return 1;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(Math.abs(d[x]), Math.abs(d[y])));
        double[] rank = new double[n];
        double tieTerm = 0;
        for (int i = 0; i < n;) {
            int j = i;
            while (j + 1 < n && Math.abs(d[order[j + 1]]) == Math.abs(d[order[i]])) {
                j++;
            }
            double r = (i + j) / 2.0 + 1;
            for (int m = i; m <= j; m++) {
                rank[order[m]] = r;
            }
            double t = j - i + 1;
            tieTerm += t * t * t - t;
            i = j + 1;
        }
        double wPlus = 0;
        for (int i = 0; i < n; i++) {
            if (d[i] > 0) {
                wPlus += rank[i];
            }
        }
        double mu = n * (n + 1) / 4.0;
        double var = n * (n + 1) * (2.0 * n + 1) / 24.0 - tieTerm / 48.0;
        if (var <= 0) {
            return 1;
        }
        double z = (wPlus - mu) / Math.sqrt(var);
        return Math.min(1, 2 * upperNormal(Math.abs(z)));
    }

    /**
     * The 95% percentile bootstrap interval of the mean of {@code d}.
     *
     * @param d the differences
     * @param samples resamples, at least 100
     * @param seed the seed
     * @return {low, high}
     */
    public static double[] bootstrapCi(double[] d, int samples, long seed) {
        if (samples < 100) {
            throw new IllegalArgumentException("bootstrap needs at least 100 samples, got " + samples);
        }
        if (d.length == 0) {
            return new double[] {0, 0};
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[samples];
        for (int s = 0; s < samples; s++) {
            double sum = 0;
            for (int i = 0; i < d.length; i++) {
                sum += d[random.nextInt(d.length)];
            }
            means[s] = sum / d.length;
        }
        Arrays.sort(means);
        return new double[] {means[(int) Math.floor(0.025 * (samples - 1))], means[(int) Math.ceil(0.975 * (samples - 1))]};
    }

    private static double[] differences(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired values need the same users: " + a.length + " vs " + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? 0 : s / v.length;
    }

    /** P(Z > z) for a standard normal, via the complementary error function. */
    static double upperNormal(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    /** Complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2 - ans;
    }

    /** The regularized incomplete beta function I_x(a, b) by Lentz's continued fraction. */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
        if (x < (a + 1) / (a + b + 2)) {
            return Math.exp(lnFront) * betaFraction(x, a, b) / a;
        }
        return 1 - Math.exp(lnFront) * betaFraction(1 - x, b, a) / b;
    }

    private static double betaFraction(double x, double a, double b) {
        final double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = Math.abs(d) < tiny ? tiny : d;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10_000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + aa * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = 1 + aa / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + aa * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = 1 + aa / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-14) {
                break;
            }
        }
        return h;
    }

    /** Lanczos approximation of ln Gamma(x) for x &gt; 0. */
    private static double logGamma(double x) {
        double[] g = {76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155,
            0.1208650973866179e-2, -0.5395239384953e-5};
        double y = x;
        double tmp = x + 5.5;
        tmp -= (x + 0.5) * Math.log(tmp);
        double ser = 1.000000000190015;
        for (double c : g) {
            ser += c / ++y;
        }
        return -tmp + Math.log(2.5066282746310005 * ser / x);
    }
}
