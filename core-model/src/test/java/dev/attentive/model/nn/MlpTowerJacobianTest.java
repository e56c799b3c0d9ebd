package dev.attentive.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Tower;
import dev.attentive.model.MlpTowerProvider;
import dev.attentive.testkit.Seeds;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link MlpTower#jacobianProducts} against central differences of the forward pass, on GELU towers
 * with and without layer norm (smooth, so no difference straddles a kink), and its argument checks.
 */
class MlpTowerJacobianTest {
    /**
     * The derivative of the output along a direction by Richardson's extrapolation of two central
     * differences (steps 2e-2 and 1e-2): the truncation error of GELU and layer norm's curvature
     * cancels to third order, leaving the float rounding of the outputs (about 1e-6 / 1e-2).
     */
    private static double[] numeric(Tower tower, float[] input, int row, int batch, float[] dense, int out) {
        double[] big = central(tower, input, row, batch, dense, out, 2e-2);
        double[] small = central(tower, input, row, batch, dense, out, 1e-2);
        double[] d = new double[out];
        for (int o = 0; o < out; o++) {
            d[o] = (4 * small[o] - big[o]) / 3;
        }
        return d;
    }

    private static double[] central(Tower tower, float[] input, int row, int batch, float[] dense, int out, double h) {
        int in = dense.length;
        float[] up = input.clone();
        float[] down = input.clone();
        for (int i = 0; i < in; i++) {
            up[row * in + i] += (float) (h * dense[i]);
            down[row * in + i] -= (float) (h * dense[i]);
        }
        float[] a = tower.forward(up, batch, false, null).output();
        float[] b = tower.forward(down, batch, false, null).output();
        double[] d = new double[out];
        for (int o = 0; o < out; o++) {
            d[o] = ((double) a[row * out + o] - b[row * out + o]) / (2 * h);
        }
        return d;
    }

    private static void check(String settings, boolean layerNorm) {
        Seeds.forEach(12, layerNorm ? 71 : 17, (random, seed) -> {
            int in = 4 + random.nextInt(9);
            int out = 1 + random.nextInt(6);
            int batch = 1 + random.nextInt(3);
            int row = random.nextInt(batch);
            MlpTower tower = (MlpTower) new MlpTowerProvider().create(
                    Map.of("activation", "gelu", "widths", settings, "layerNorm", Boolean.toString(layerNorm)),
                    in, out, seed);
            float[] input = Seeds.floats(random, batch * in, 1);
            int width = 1 + random.nextInt(in);
            int count = 1 + random.nextInt(4);
            int[] at = new int[count];
            int offset = random.nextInt(3);
            float[] directions = new float[offset + count * width];
            for (int j = 0; j < count; j++) {
                at[j] = random.nextInt(in - width + 1);
                float[] d = Seeds.floats(random, width, 1);
                System.arraycopy(d, 0, directions, offset + j * width, width);
            }
            float[] products = new float[count * out];
            tower.jacobianProducts(tower.forward(input, batch, false, null), row, directions, offset, width, at, count,
                    products);
            for (int j = 0; j < count; j++) {
                float[] dense = new float[in];
                System.arraycopy(directions, offset + j * width, dense, at[j], width);
                double[] expected = numeric(tower, input, row, batch, dense, out);
                for (int o = 0; o < out; o++) {
                    double error = Math.abs(products[j * out + o] - expected[o])
                            / Math.max(Math.abs(products[j * out + o]) + Math.abs(expected[o]), 0.1);
                    assertThat(error).as("direction %d, output %d: analytic %s vs numeric %s", j, o,
                            products[j * out + o], expected[o]).isLessThan(2e-3);
                }
            }
        });
    }

    @Test
    void productsMatchCentralDifferencesOfTheForwardPass() {
        check("8,5", false);
    }

    @Test
    void productsMatchCentralDifferencesThroughLayerNorm() {
        check("8,5", true);
    }

    @Test
    void aLinearTowerGivesItsWeightsTimesTheDirection() {
        MlpTower tower = (MlpTower) new MlpTowerProvider().create(Map.of("widths", ""), 3, 2, 3);
        float[] weight = tower.parameters().get(0).values();
        float[] products = new float[2];
        // The window (1, 2) over inputs 1 and 2: J d = d1 W[1, :] + 2 W[2, :].
        tower.jacobianProducts(tower.forward(new float[] {5, -1, 7}, 1, false, null), 0, new float[] {1, 2}, 0, 2,
                new int[] {1}, 1, products);
        assertThat(products[0]).isCloseTo(weight[2] + 2 * weight[4], org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(products[1]).isCloseTo(weight[3] + 2 * weight[5], org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void aReluUnitThatIsOffPassesNothing() {
        // One hidden unit with a large negative bias is off at this input: the products are exactly 0.
        MlpTower tower = (MlpTower) new MlpTowerProvider().create(Map.of("widths", "1"), 2, 1, 5);
        tower.parameters().get(1).values()[0] = -100;
        float[] products = {1, 1};
        tower.jacobianProducts(tower.forward(new float[] {0.5f, 0.5f}, 1, false, null), 0, new float[] {1, 1}, 0, 1,
                new int[] {0, 1}, 2, products);
        assertThat(products).containsExactly(0f, 0f);
    }

    @Test
    void windowsOutsideTheInputAndForeignPassesAreRefusedByName() {
        MlpTower tower = (MlpTower) new MlpTowerProvider().create(Map.of("widths", "4"), 3, 2, 3);
        Tower.Pass pass = tower.forward(new float[3], 1, false, null);
        assertThatThrownBy(() -> tower.jacobianProducts(pass, 0, new float[2], 0, 2, new int[] {2}, 1, new float[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("direction 0's window starts at input 2")
                .hasMessageContaining("must start in [0, 1]");
        assertThatThrownBy(() -> tower.jacobianProducts(pass, 1, new float[2], 0, 2, new int[] {0}, 1, new float[2]))
                .hasMessageContaining("row 1 of a pass of 1 rows");
        MlpTower other = (MlpTower) new MlpTowerProvider().create(Map.of("widths", "4,4"), 3, 2, 3);
        assertThatThrownBy(() -> other.jacobianProducts(pass, 0, new float[2], 0, 2, new int[] {0}, 1, new float[2]))
                .hasMessageContaining("a pass made by another tower");
    }
}
