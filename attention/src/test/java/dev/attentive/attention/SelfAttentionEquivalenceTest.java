package dev.attentive.attention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.api.spi.AttentionShape;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streamed read-out block gives the outputs, weights and gradients of the encoder before it
 * ({@link ReferenceHistorySelfAttention}) up to float rounding, without dropout (the dropout draw
 * itself changed: one bit per element from 16-bit draws instead of a float per element).
 */
class SelfAttentionEquivalenceTest {
    /** Relative to the largest magnitude of the compared array: the two order some float sums differently. */
    private static final double TOLERANCE = 1e-4;

    @Test
    void oneBlockMatchesTheReference() {
        compare(Map.of(), 12, 8, 7, 31);
    }

    @Test
    void twoHeadsTwoBlocksWithRecencyMatchTheReference() {
        compare(Map.of("blocks", "2", "heads", "2", "recencyBias", "true"), 9, 8, 5, 32);
    }

    @Test
    void threeBlocksWithAWideFeedForwardMatchTheReference() {
        compare(Map.of("blocks", "3", "heads", "4", "ffnDim", "12"), 6, 8, 4, 33);
    }

    private static void compare(Map<String, String> settings, int fields, int dim, int batch, long seedBase) {
        Seeds.forEach(4, seedBase, (random, seed) -> {
            List<String> names = new ArrayList<>();
            for (int f = 0; f < fields; f++) {
                names.add("recent-" + f);
            }
            SelfAttentionProvider provider = new SelfAttentionProvider();
            SelfAttentionProvider.Config config = provider.configure(settings);
            Attention fast = provider.create(config, new AttentionShape(names, dim), seed);
            Attention reference = new ReferenceHistorySelfAttention(fields, dim, config, seed);
            List<Parameter> fp = fast.parameters();
            List<Parameter> rp = reference.parameters();
            assertThat(fp).hasSameSizeAs(rp);
            for (int i = 0; i < fp.size(); i++) {
                assertThat(fp.get(i).name()).isEqualTo(rp.get(i).name());
                float[] noise = Seeds.floats(random, fp.get(i).size(), 0.3);
                for (int k = 0; k < noise.length; k++) {
                    fp.get(i).values()[k] += noise[k];
                }
                System.arraycopy(fp.get(i).values(), 0, rp.get(i).values(), 0, noise.length);
            }
            float[] input = Seeds.floats(random, batch * fields * dim, 1);
            float[] mask = new float[batch * fields];
            for (int b = 0; b < batch; b++) {
                // Histories of every length, some starting after a gap, one empty.
                int length = b == 1 ? 0 : 1 + random.nextInt(fields);
                int start = b % 3 == 2 ? 1 : 0;
                for (int j = start; j < Math.min(fields, start + length); j++) {
                    mask[b * fields + j] = random.nextInt(6) == 0 && j > start ? 0 : 1;
                }
            }
            float[] probe = Seeds.floats(random, batch * dim, 1);
            Attention.Pass f = fast.forward(input, mask, batch, false, null);
            Attention.Pass r = reference.forward(input, mask, batch, false, null);
            close("output", f.output(), r.output());
            close("weights", f.weights(), r.weights());
            float[] gf = Seeds.floats(random, input.length, 1); // backward adds into what is there
            float[] gr = gf.clone();
            Gradients df = new Gradients(fp);
            Gradients dr = new Gradients(rp);
            fast.backward(f, probe, gf, df);
            reference.backward(r, probe, gr, dr);
            close("input gradient", gf, gr);
            for (int i = 0; i < fp.size(); i++) {
                close("gradient of " + fp.get(i).name(), df.of(fp.get(i)), dr.of(rp.get(i)));
            }
        });
    }

    private static void close(String what, float[] actual, float[] expected) {
        double scale = 1e-6;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i]) / scale)
                    .as("%s[%d]: %s vs reference %s (of %s)", what, i, actual[i], expected[i], Arrays.toString(expected))
                    .isLessThanOrEqualTo(TOLERANCE);
        }
    }
}
