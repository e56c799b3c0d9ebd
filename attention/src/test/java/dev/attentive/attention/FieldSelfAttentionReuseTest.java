package dev.attentive.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * {@code field-self-attention} reuses a released pass's activations for the next pass. Reuse must be
 * invisible: a twin made with the same seed that never releases (so always gets fresh, zeroed arrays)
 * must give the same bits, pass after pass, while the masks change (a buffer that kept a value
 * where the new pass assumes zero would show here) and the batch grows past the workspace's size.
 */
class FieldSelfAttentionReuseTest {

    @Test
    void reusedActivationsGiveTheBitsOfFreshOnes() {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), Map.of("layers", "2", "heads", "3"))) {
            int fields = 5;
            int dim = 12;
            Attention reusing = create(settings, fields, dim);
            Attention fresh = create(settings, fields, dim);
            SplittableRandom random = new SplittableRandom(11);
            float[][] previousActivations = null;
            int reused = 0;
            // Dense first (every buffer full of values), then sparser masks, then a batch beyond the
            // first workspace (128 rows), then small again.
            int[] batches = {40, 40, 7, 200, 3, 130};
            double[] presence = {1.0, 0.5, 0.3, 0.6, 0.0, 0.8};
            for (int step = 0; step < batches.length; step++) {
                int batch = batches[step];
                float[] input = Seeds.floats(random, batch * fields * dim, 2);
                float[] mask = new float[batch * fields];
                for (int i = 0; i < mask.length; i++) {
                    boolean present = random.nextDouble() < presence[step];
                    mask[i] = present ? 1f : 0f;
                    if (!present) {
                        input[i * dim] = Float.NaN; // a missing field's values must never be read
                    }
                }
                float[] probe = Seeds.floats(random, batch * dim, 1);
                Attention.Pass a = reusing.forward(input, mask, batch, true, new SplittableRandom(step));
                Attention.Pass b = fresh.forward(input, mask, batch, true, new SplittableRandom(step));
                float[][] activations = ((FieldSelfAttention.SelfPass) a).xs;
                if (activations == previousActivations) {
                    reused++;
                }
                assertThat(a.output()).as("step %d output", step).containsExactly(b.output());
                assertThat(a.weights()).as("step %d weights", step).containsExactly(b.weights());
                float[] gradA = new float[input.length];
                float[] gradB = new float[input.length];
                Gradients gA = new Gradients(reusing.parameters());
                Gradients gB = new Gradients(fresh.parameters());
                reusing.backward(a, probe, gradA, gA);
                fresh.backward(b, probe, gradB, gB);
                assertThat(gradA).as("step %d input gradient", step).containsExactly(gradB);
                for (int k = 0; k < reusing.parameters().size(); k++) {
                    Parameter pa = reusing.parameters().get(k);
                    assertThat(gA.of(pa)).as("step %d %s", step, pa.name())
                            .containsExactly(gB.of(fresh.parameters().get(k)));
                }
                float[] output = a.output().clone();
                a.release();
                previousActivations = activations;
                // The next pass may take these activations; this pass's output stays as it was.
                reusing.forward(Seeds.floats(random, batch * fields * dim, 2), null, batch, false, null).release();
                assertThat(a.output()).containsExactly(output);
            }
            // The test is only worth something if reuse happened: every pass after the first except
            // the one that outgrew the workspace.
            assertThat(reused).as("passes that reused the previous activations, %s", settings).isEqualTo(4);
        }
    }

    @Test
    void backwardThroughAReleasedPassFailsClearly() {
        Attention attention = create(Map.of(), 3, 4);
        float[] input = Seeds.floats(new SplittableRandom(1), 2 * 3 * 4, 1);
        Attention.Pass pass = attention.forward(input, null, 2, true, new SplittableRandom(2));
        attention.backward(pass, new float[2 * 4], new float[input.length], new Gradients(attention.parameters()));
        pass.release();
        pass.release(); // twice is allowed and does nothing more
        assertThatThrownBy(() -> attention.backward(pass, new float[2 * 4], new float[input.length],
                new Gradients(attention.parameters())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("field-self-attention: backward through a released pass");
    }

    private static Attention create(Map<String, String> settings, int fields, int dim) {
        List<String> names = new ArrayList<>();
        for (int f = 0; f < fields; f++) {
            names.add("f" + f);
        }
        return new FieldSelfAttentionProvider().create(settings, new AttentionShape(names, dim), 5);
    }
}
