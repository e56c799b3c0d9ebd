package dev.attentive.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.api.Tower;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.TowerProvider;
import dev.attentive.testkit.GradientCheck;
import dev.attentive.testkit.Seeds;
import dev.attentive.testkit.TowerContractTest;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The tower contract with GELU (smooth, so finite differences never straddle a ReLU kink). */
class MlpTowerContractTest extends TowerContractTest {
    @Override
    protected TowerProvider<?> provider() {
        return new MlpTowerProvider();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("activation", "gelu", "widths", "7");
    }

    /**
     * A larger step than the kit's default: float rounding of the outputs (about 1e-7 each) divided
     * by 2*eps dominates at 5e-3, while GELU's curvature keeps the truncation error far below the
     * tolerance at 2e-2.
     */
    @Override
    protected double gradientEps() {
        return 2e-2;
    }

    /**
     * Layer norm: its curvature over a handful of units and the float rounding of the outputs leave
     * no step at which the kit's 1e-3 bound holds for every seed (a scan showed the numeric
     * derivative converging to the analytic one as eps^2 until float noise takes over), so this
     * check uses a 1e-2 bound.
     */
    @Test
    void layerNormGradientsMatchFiniteDifferences() {
        Seeds.forEach(4, 29, (random, seed) -> {
            int in = 2 + random.nextInt(6);
            int out = 1 + random.nextInt(5);
            int batch = 1 + random.nextInt(3);
            Tower tower = new MlpTowerProvider().create(
                    Map.of("activation", "gelu", "widths", "8,5", "layerNorm", "true"), in, out, seed);
            float[] input = Seeds.floats(random, batch * in, 1);
            float[] probe = Seeds.floats(random, batch * out, 1);
            float[] gradInput = new float[input.length];
            Gradients gradients = new Gradients(tower.parameters());
            tower.backward(tower.forward(input, batch, false, null), probe, gradInput, gradients);
            java.util.function.DoubleSupplier loss =
                    () -> GradientCheck.probe(tower.forward(input, batch, false, null).output(), probe);
            GradientCheck.check("d/d input", input, gradInput, loss, 2e-3, 1e-2, 1e-2);
            for (Parameter p : tower.parameters()) {
                GradientCheck.check("d/d " + p.name(), p.values(), gradients.of(p), loss, 2e-3, 1e-2, 1e-2);
            }
        });
    }

    /** A single linear layer. */
    @Nested
    class Linear extends TowerContractTest {
        @Override
        protected TowerProvider<?> provider() {
            return new MlpTowerProvider();
        }

        @Override
        protected Map<String, String> settings() {
            return Map.of("widths", "");
        }
    }

    @Test
    void reluZeroesNegativesAndDropoutScalesKeptUnits() {
        Tower tower = new MlpTowerProvider().create(Map.of("widths", "64", "dropout", "0.5"), 3, 2, 5);
        float[] input = {1, -2, 0.5f};
        float[] eval = tower.forward(input, 1, false, null).output();
        float[] again = tower.forward(input, 1, false, null).output();
        assertThat(again).containsExactly(eval);
        float[] train = tower.forward(input, 1, true, new SplittableRandom(1)).output();
        assertThat(train).isNotEqualTo(eval);
    }

    @Test
    void badConfigListsEveryProblem() {
        assertThatThrownBy(() -> new MlpTowerProvider().configure(Map.of("widths", "0,4", "dropout", "1.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dropout must be in [0, 1), got 1.5")
                .hasMessageContaining("widths must all be at least 1, got [0, 4]");
    }
}
