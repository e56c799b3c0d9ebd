package dev.attentive.attention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.api.spi.AttentionShape;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A plugin's forward and backward give the same bits on the first call, still interpreted, and
 * after many calls, once the JIT has compiled its kernels. Training runs with one seed repeat
 * exactly only if this holds: when it did not, {@code field-self-attention} runs differed from one
 * process to the next, with how far compilation had got at each step.
 */
class CompiledStabilityTest {

    private static final int CALLS = 400;

    @Test
    void fieldSelfAttentionIsTheSameBeforeAndAfterCompilation() {
        check(new FieldSelfAttentionProvider(), 6, 64, 48);
    }

    @Test
    void attentionPoolingIsTheSameBeforeAndAfterCompilation() {
        check(new AttentionPoolingProvider(), 6, 64, 48);
    }

    @Test
    void historyAttentionIsTheSameBeforeAndAfterCompilation() {
        check(new HistoryAttentionProvider(), 20, 64, 32);
    }

    @Test
    void selfAttentionIsTheSameBeforeAndAfterCompilation() {
        check(new SelfAttentionProvider(), 20, 64, 32);
    }

    private static void check(AttentionProvider<?> provider, int fields, int dim, int batch) {
        SplittableRandom random = new SplittableRandom(11);
        List<String> names = new ArrayList<>();
        for (int f = 0; f < fields; f++) {
            names.add("f" + f);
        }
        Attention attention = provider.create(Map.of(), new AttentionShape(names, dim), 5);
        float[] input = Seeds.floats(random, batch * fields * dim, 1);
        float[] mask = new float[batch * fields];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = i < fields || random.nextInt(4) != 0 ? 1f : 0f;
        }
        float[] probe = Seeds.floats(random, batch * dim, 1);
        float[][] first = null;
        for (int c = 0; c < CALLS; c++) {
            Attention.Pass pass = attention.forward(input, mask, batch, false, new SplittableRandom(3));
            float[] gradInput = new float[input.length];
            Gradients gradients = new Gradients(attention.parameters());
            attention.backward(pass, probe, gradInput, gradients);
            List<float[]> now = new ArrayList<>();
            now.add(pass.output().clone());
            now.add(gradInput);
            for (Parameter p : attention.parameters()) {
                now.add(gradients.of(p).clone());
            }
            float[][] all = now.toArray(new float[0][]);
            if (first == null) {
                first = all;
                continue;
            }
            for (int t = 0; t < all.length; t++) {
                if (!Arrays.equals(first[t], all[t])) {
                    int at = Arrays.mismatch(first[t], all[t]);
                    assertThat(all[t][at]).as("call %d, array %d (0 output, 1 input gradient, then parameters), "
                            + "element %d", c, t, at).isEqualTo(first[t][at]);
                }
            }
        }
    }
}
