package dev.attentive.model.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Cholesky-based EASE weights equal those from a direct Gauss-Jordan inverse, and scoring adds
 * the rows exactly as one row at a time would.
 */
class ItemRegressionTest {

    @Test
    void weightsMatchADirectInverse() {
        SplittableRandom random = new SplittableRandom(11);
        int n = 23;
        int[][] users = new int[40][];
        for (int u = 0; u < users.length; u++) {
            users[u] = random.ints(0, n).distinct().limit(1 + random.nextInt(8)).toArray();
        }
        double lambda = 3;
        ItemRegression fitted = ItemRegression.fit(n, users, lambda, 2);
        double[][] g = new double[n][2 * n];
        for (int[] items : users) {
            for (int i : items) {
                for (int j : items) {
                    g[i][j] += 1;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            g[i][i] += lambda;
            g[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            double pivot = g[c][c];
            for (int j = 0; j < 2 * n; j++) {
                g[c][j] /= pivot;
            }
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = g[r][c];
                    for (int j = 0; j < 2 * n; j++) {
                        g[r][j] -= f * g[c][j];
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double expected = i == j ? 0 : -g[i][n + j] / g[j][n + j];
                assertThat((double) fitted.weight(i, j)).as("B[%d][%d]", i, j).isCloseTo(expected, within(1e-5));
            }
        }
    }

    @Test
    void scoringAddsTheRowsInHistoryOrderBitForBit() {
        long seed = 4242;
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 40; round++) {
            int n = 1 + random.nextInt(40);
            float[] weights = new float[n * n];
            for (int i = 0; i < weights.length; i++) {
                // Magnitudes far apart, so that a different order of the adds would round differently.
                weights[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-4, 5)));
            }
            ItemRegression regression = ItemRegression.of(n, weights);
            int[] history = random.ints(random.nextInt(12), 0, n).toArray();
            float[] expected = new float[n];
            for (int i : history) {
                for (int j = 0; j < n; j++) {
                    expected[j] += weights[i * n + j];
                }
            }
            float[] got = new float[n];
            java.util.Arrays.fill(got, Float.NaN);
            regression.score(history, got);
            for (int j = 0; j < n; j++) {
                assertThat(Float.floatToIntBits(got[j])).as("seed %d round %d: item %d of history %s", seed, round, j,
                        java.util.Arrays.toString(history)).isEqualTo(Float.floatToIntBits(expected[j]));
            }
        }
    }

    @Test
    void weightsOfTheWrongLengthAreRefused() {
        assertThatThrownBy(() -> ItemRegression.of(3, new float[8]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the item regression of 3 items needs 9 weights, got 8");
    }
}
