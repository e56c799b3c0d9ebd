package dev.attentive.attention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.api.spi.AttentionShape;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Checks field self-attention's analytic gradients against central differences of its output
 * <em>before</em> rounding to float (its activations are double), so the check is free of the
 * float32 output noise that limits the kit's check, and can be much tighter: relative error
 * ≤ 1e-4 with a floor of 1e-4, step 1e-4, across several layer/head layouts and masks.
 */
class FieldSelfAttentionGradientTest {

    @Test
    void gradientsMatchFiniteDifferencesOfTheExactOutput() {
        List<Map<String, String>> layouts = List.of(Map.of(), Map.of("layers", "2", "heads", "3", "headDim", "2"),
                Map.of("heads", "1", "fieldBias", "false"), Map.of("layers", "3", "heads", "2", "headDim", "3"));
        for (Map<String, String> settings : layouts) {
            Seeds.forEach(6, 77, (random, seed) -> check(settings, random, seed));
        }
    }

    private static void check(Map<String, String> settings, SplittableRandom random, long seed) {
        int fields = 2 + random.nextInt(4);
        int dim = 2 + random.nextInt(7);
        int batch = 1 + random.nextInt(3);
        List<String> names = new ArrayList<>();
        for (int f = 0; f < fields; f++) {
            names.add("f" + f);
        }
        Attention attention = new FieldSelfAttentionProvider().create(settings, new AttentionShape(names, dim), seed);
        for (Parameter p : attention.parameters()) {
            float[] noise = Seeds.floats(random, p.size(), 0.3);
            for (int i = 0; i < p.size(); i++) {
                p.values()[i] += noise[i];
            }
        }
        float[] input = Seeds.floats(random, batch * fields * dim, 1);
        float[] mask = new float[batch * fields];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = i < fields || random.nextInt(4) != 0 ? 1f : 0f;
        }
        float[] probe = Seeds.floats(random, batch * dim, 1);
        Attention.Pass pass = attention.forward(input, mask, batch, true, random);
        float[] gradInput = new float[input.length];
        Gradients gradients = new Gradients(attention.parameters());
        attention.backward(pass, probe, gradInput, gradients);
        compare(settings + " input", input, gradInput, attention, input, mask, batch, probe);
        for (Parameter p : attention.parameters()) {
            compare(settings + " " + p.name(), p.values(), gradients.of(p), attention, input, mask, batch, probe);
        }
    }

    private static void compare(String what, float[] values, float[] analytic, Attention attention, float[] input,
            float[] mask, int batch, float[] probe) {
        double eps = 1e-4;
        for (int i = 0; i < values.length; i++) {
            float saved = values[i];
            values[i] = (float) (saved + eps);
            double up = loss(attention, input, mask, batch, probe);
            values[i] = (float) (saved - eps);
            double down = loss(attention, input, mask, batch, probe);
            values[i] = saved;
            double numeric = (up - down) / ((double) (float) (saved + eps) - (float) (saved - eps));
            double error = Math.abs(analytic[i] - numeric) / Math.max(Math.abs(analytic[i]) + Math.abs(numeric), 1e-4);
            assertThat(error).as("%s[%d]: analytic %s vs numeric %s", what, i, analytic[i], numeric)
                    .isLessThanOrEqualTo(1e-4);
        }
    }

    private static double loss(Attention attention, float[] input, float[] mask, int batch, float[] probe) {
        double[] out = ((FieldSelfAttention.SelfPass) attention.forward(input, mask, batch, false, null)).exactOutput();
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            sum += out[i] * probe[i];
        }
        return sum;
    }
}
