package dev.attentive.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.testkit.Seeds;
import org.junit.jupiter.api.Test;

/**
 * {@link Vectors#combineLanes}: the promised bits are those of {@code m} calls of
 * {@link Vectors#axpyLanes(float, float[], int, float[], int, int)} in row order, on whichever path
 * this run takes (the build runs with the Vector API; {@code -Dattentive.vector=false} checks the
 * other), for lengths below, at and above a vector's lanes, strided weights and rows, and zero weights.
 */
class CombineLanesTest {

    @Test
    void equalsOneAxpyPerRowInOrder() {
        Seeds.forEach(60, 31, (random, seed) -> {
            int m = random.nextInt(8);
            int n = random.nextInt(70);
            int wStride = 1 + random.nextInt(3);
            int xStride = n + random.nextInt(5);
            float[] w = Seeds.floats(random, 2 + m * wStride, 1);
            for (int i = 0; i < w.length; i++) {
                if (random.nextInt(4) == 0) {
                    w[i] = 0f;
                }
            }
            float[] x = Seeds.floats(random, 3 + m * xStride + n, 2);
            float[] y = Seeds.floats(random, n + 9, 1);
            float[] rowByRow = y.clone();
            for (int i = 0; i < m; i++) {
                Vectors.axpyLanes(w[1 + i * wStride], x, 3 + i * xStride, rowByRow, 4, n);
            }
            float[] combined = y.clone();
            Vectors.combineLanes(w, 1, wStride, m, x, 3, xStride, combined, 4, n);
            assertThat(combined).as("m %d, n %d", m, n).containsExactly(rowByRow);
        });
    }

    @Test
    void sumsTheWeightedRows() {
        float[] w = {2f, 0f, -1f};
        float[] x = {1f, 2f, 100f, 100f, 5f, 7f};
        float[] y = {10f, 20f};
        Vectors.combineLanes(w, 0, 1, 3, x, 0, 2, y, 0, 2);
        assertThat(y).containsExactly(10f + 2f - 5f, 20f + 4f - 7f);
    }
}
