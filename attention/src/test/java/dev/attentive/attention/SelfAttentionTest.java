package dev.attentive.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.api.spi.AttentionShape;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.testkit.GradientCheck;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The {@code self-attention} history encoder beyond the kit: causality, padding, dropout, settings. */
class SelfAttentionTest {
    /**
     * 1e-2, as in {@link SelfAttentionContractTest#gradientTolerance()}, with Richardson-extrapolated
     * central differences (steps 2e-2 and 1e-2, {@code (4 D(h/2) - D(h)) / 3}). Plain central
     * differences at 1e-2 showed relative errors up to 1.4e-2 at sharply curved points (two blocks,
     * dropout) that shrank toward the analytic value as the step shrank (truncation, not a wrong
     * gradient); extrapolated, the worst measured was 6.0e-3, an absolute difference of 6e-5 on a
     * gradient of 4e-3: the float forward pass's rounding noise.
     */
    private static final double TOLERANCE = 1e-2;

    private static HistorySelfAttention create(int fields, int dim, Map<String, String> settings, long seed) {
        List<String> names = new ArrayList<>();
        for (int f = 0; f < fields; f++) {
            names.add("recent-" + f);
        }
        return (HistorySelfAttention) new SelfAttentionProvider().create(settings, new AttentionShape(names, dim), seed);
    }

    private static void perturb(Attention a, SplittableRandom random) {
        for (Parameter p : a.parameters()) {
            float[] noise = Seeds.floats(random, p.size(), 0.3);
            for (int i = 0; i < p.size(); i++) {
                p.values()[i] += noise[i];
            }
        }
    }

    @Test
    void aPositionNeverSeesNewerItemsInAnyBlock() {
        Seeds.forEach(5, 21, (random, seed) -> {
            int fields = 6;
            int dim = 4;
            HistorySelfAttention a = create(fields, dim, Map.of("blocks", "2", "heads", "2", "recencyBias", "true"), seed);
            perturb(a, random);
            float[] input = Seeds.floats(random, 2 * fields * dim, 1);
            int changed = 1 + random.nextInt(fields - 2); // a newer item than positions changed+1 ..
            float[] other = input.clone();
            for (int b = 0; b < 2; b++) {
                for (int d = 0; d < dim; d++) {
                    other[(b * fields + changed) * dim + d] += 1f + random.nextFloat();
                }
            }
            for (int count = 1; count <= 2; count++) {
                float[] before = a.positionOutputs(input, null, 2, count);
                float[] after = a.positionOutputs(other, null, 2, count);
                for (int b = 0; b < 2; b++) {
                    for (int p = 0; p < fields; p++) {
                        float[] x = Arrays.copyOfRange(before, (b * fields + p) * dim, (b * fields + p + 1) * dim);
                        float[] y = Arrays.copyOfRange(after, (b * fields + p) * dim, (b * fields + p + 1) * dim);
                        if (p > changed) {
                            assertThat(y).as("block %d, row %d, position %d (older than %d)", count, b, p, changed)
                                    .containsExactly(x);
                        } else {
                            assertThat(y).as("block %d, row %d, position %d sees %d", count, b, p, changed)
                                    .isNotEqualTo(x);
                        }
                    }
                }
            }
        });
    }

    @Test
    void maskedPositionsChangeNothing() {
        Seeds.forEach(5, 22, (random, seed) -> {
            int fields = 5;
            int dim = 4;
            int batch = 3;
            HistorySelfAttention a = create(fields, dim, Map.of("blocks", "2", "heads", "2"), seed);
            perturb(a, random);
            float[] input = Seeds.floats(random, batch * fields * dim, 1);
            float[] mask = new float[batch * fields];
            Arrays.fill(mask, 1f);
            mask[0] = 0; // row 0 reads out at position 1
            mask[3] = 0;
            mask[fields + 4] = 0; // row 1: a short history
            float[] other = input.clone();
            for (int r = 0; r < batch * fields; r++) {
                if (mask[r] == 0) {
                    for (int d = 0; d < dim; d++) {
                        other[r * dim + d] = d == 0 ? Float.NaN : 100 * random.nextFloat();
                    }
                }
            }
            Attention.Pass x = a.forward(input, mask, batch, false, null);
            Attention.Pass y = a.forward(other, mask, batch, false, null);
            assertThat(y.output()).containsExactly(x.output());
            assertThat(y.weights()).containsExactly(x.weights());
            float[] probe = Seeds.floats(random, batch * dim, 1);
            float[] gx = new float[input.length];
            float[] gy = new float[input.length];
            a.backward(x, probe, gx, new Gradients(a.parameters()));
            a.backward(y, probe, gy, new Gradients(a.parameters()));
            assertThat(gy).containsExactly(gx);
            for (int r = 0; r < batch * fields; r++) {
                if (mask[r] == 0) {
                    assertThat(Arrays.copyOfRange(gx, r * dim, (r + 1) * dim)).containsOnly(0f);
                    assertThat(x.weights()[r]).isZero();
                }
            }
        });
    }

    @Test
    void aRowWithoutHistoryGetsZerosAndPassesNoGradient() {
        HistorySelfAttention a = create(3, 4, Map.of(), 3);
        float[] input = Seeds.floats(new SplittableRandom(1), 2 * 3 * 4, 1);
        float[] mask = {1, 1, 0, 0, 0, 0};
        Attention.Pass pass = a.forward(input, mask, 2, false, null);
        assertThat(Arrays.copyOfRange(pass.output(), 4, 8)).containsOnly(0f);
        assertThat(Arrays.copyOfRange(pass.weights(), 3, 6)).containsOnly(0f);
        float[] grad = new float[input.length];
        a.backward(pass, new float[] {1, 1, 1, 1, 1, 1, 1, 1}, grad, new Gradients(a.parameters()));
        assertThat(Arrays.copyOfRange(grad, 12, 24)).containsOnly(0f);
    }

    @Test
    void twoHeadsTwoBlocksMatchFiniteDifferences() {
        Seeds.forEach(3, 23, (random, seed) -> {
            int fields = 4;
            int dim = 4;
            int batch = 2;
            HistorySelfAttention a = create(fields, dim, Map.of("blocks", "2", "heads", "2", "recencyBias", "true"), seed);
            perturb(a, random);
            checkGradients(a, random, fields, dim, batch, false);
        });
    }

    @Test
    void dropoutGradientsMatchFiniteDifferencesUnderAFixedDraw() {
        Seeds.forEach(2, 24, (random, seed) -> {
            HistorySelfAttention a = create(4, 4, Map.of("blocks", "2", "dropout", "0.3"), seed);
            perturb(a, random);
            checkGradients(a, random, 4, 4, 2, true);
        });
    }

    @Test
    void oneBlockDropoutGradientsMatchFiniteDifferencesUnderAFixedDraw() {
        Seeds.forEach(2, 25, (random, seed) -> {
            HistorySelfAttention a = create(5, 4, Map.of("dropout", "0.3", "heads", "2"), seed);
            perturb(a, random);
            checkGradients(a, random, 5, 4, 2, true);
        });
    }

    private static void checkGradients(HistorySelfAttention a, SplittableRandom random, int fields, int dim, int batch,
            boolean training) {
        float[] input = Seeds.floats(random, batch * fields * dim, 1);
        float[] mask = new float[batch * fields];
        Arrays.fill(mask, 1f);
        mask[batch * fields - 1] = 0;
        float[] probe = Seeds.floats(random, batch * dim, 1);
        long draw = random.nextLong();
        Attention.Pass pass = a.forward(input, mask, batch, training, new SplittableRandom(draw));
        float[] gradInput = new float[input.length];
        Gradients gradients = new Gradients(a.parameters());
        a.backward(pass, probe, gradInput, gradients);
        java.util.function.DoubleSupplier loss = () -> GradientCheck.probe(
                a.forward(input, mask, batch, training, new SplittableRandom(draw)).output(), probe);
        richardson("d/d input", input, gradInput, loss);
        for (Parameter p : a.parameters()) {
            richardson("d/d " + p.name(), p.values(), gradients.of(p), loss);
        }
    }

    private static void richardson(String what, float[] values, float[] analytic, java.util.function.DoubleSupplier loss) {
        for (int i = 0; i < values.length; i++) {
            double wide = central(values, i, 2e-2, loss);
            double narrow = central(values, i, 1e-2, loss);
            double numeric = (4 * narrow - wide) / 3;
            double error = Math.abs(analytic[i] - numeric) / Math.max(Math.abs(analytic[i]) + Math.abs(numeric), 1e-2);
            assertThat(error).as("%s[%d]: analytic %s vs numeric %s", what, i, analytic[i], numeric)
                    .isLessThanOrEqualTo(TOLERANCE);
        }
    }

    private static double central(float[] values, int i, double eps, java.util.function.DoubleSupplier loss) {
        float saved = values[i];
        values[i] = (float) (saved + eps);
        double up = loss.getAsDouble();
        values[i] = (float) (saved - eps);
        double down = loss.getAsDouble();
        values[i] = saved;
        return (up - down) / ((double) (float) (saved + eps) - (float) (saved - eps));
    }

    @Test
    void dropoutOnlyWhenTraining() {
        HistorySelfAttention a = create(5, 8, Map.of("dropout", "0.5"), 4);
        float[] input = Seeds.floats(new SplittableRandom(2), 2 * 5 * 8, 1);
        float[] eval = a.forward(input, null, 2, false, null).output();
        assertThat(a.forward(input, null, 2, false, new SplittableRandom(1)).output()).containsExactly(eval);
        assertThat(a.forward(input, null, 2, true, new SplittableRandom(1)).output()).isNotEqualTo(eval);
        HistorySelfAttention none = create(5, 8, Map.of("dropout", "0"), 4);
        assertThat(none.forward(input, null, 2, true, new SplittableRandom(1)).output())
                .containsExactly(none.forward(input, null, 2, false, null).output());
        assertThatThrownBy(() -> a.forward(input, null, 2, true, null))
                .hasMessage("self-attention: training with dropout 0.5 needs a random generator; pass one, or set dropout=0");
    }

    @Test
    void badSettingsAreReportedTogether() {
        SelfAttentionProvider provider = new SelfAttentionProvider();
        assertThatThrownBy(() -> provider.configure(
                Map.of("blocks", "0", "heads", "65", "ffnDim", "-1", "dropout", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("blocks must be between 1 and 4, got 0")
                .hasMessageContaining("heads must be between 1 and 64, got 65")
                .hasMessageContaining("ffnDim must be between 1 and 4096, or 0 for the dimension, got -1")
                .hasMessageContaining("dropout must be at least 0 and below 1, got 1.0");
        assertThatThrownBy(() -> create(50, 10, Map.of("heads", "4"), 1))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("heads=4 must divide the dimension 10; set heads to a divisor of 10 "
                        + "(such as 1) or change the dimension");
    }
}
