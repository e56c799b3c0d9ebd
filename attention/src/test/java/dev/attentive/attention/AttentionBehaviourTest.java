package dev.attentive.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.attentive.api.Attention;
import dev.attentive.api.Gradients;
import dev.attentive.api.Parameter;
import dev.attentive.api.spi.AttentionShape;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.model.ConcatMlpProvider;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AttentionBehaviourTest {

    private static AttentionShape shape(int fields, int dim, String prefix) {
        List<String> names = new ArrayList<>();
        for (int f = 0; f < fields; f++) {
            names.add(prefix + f);
        }
        return new AttentionShape(names, dim);
    }

    private static Parameter param(Attention a, String name) {
        return a.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void softmaxWeightsFavourTheFieldAlignedWithTheQuery() {
        Attention a = new AttentionPoolingProvider().create(Map.of("fieldBias", "false"), shape(3, 4, "f"), 1);
        float[] query = param(a, "query").values();
        java.util.Arrays.fill(query, 0f);
        query[0] = 4f;
        float[] x = {
            0, 1, 0, 0, // orthogonal
            1, 0, 0, 0, // aligned with the query
            0, 0, -1, 0, // orthogonal
        };
        Attention.Pass pass = a.forward(x, null, 1, false, null);
        float[] w = pass.weights();
        // score = q · x / sqrt(4): 2 for the aligned field, 0 for the others
        double e = Math.exp(2);
        assertThat(w[1]).isCloseTo((float) (e / (e + 2)), within(1e-6f));
        assertThat(w[0]).isCloseTo((float) (1 / (e + 2)), within(1e-6f));
        assertThat(w[1]).isGreaterThan(w[0]).isGreaterThan(0f);
        assertThat(pass.output()[0]).isCloseTo(w[1], within(1e-6f));
        assertThat(pass.output()[1]).isCloseTo(w[0], within(1e-6f));
        assertThat(pass.output()[2]).isCloseTo(-w[2], within(1e-6f));
    }

    @Test
    void historyPositionalEmbeddingsChangeTheWeights() {
        Attention a = new HistoryAttentionProvider().create(Map.of(), shape(4, 3, "recent-"), 5);
        // The same item at every position: only the position can tell them apart.
        float[] x = {0.5f, -0.2f, 0.1f, 0.5f, -0.2f, 0.1f, 0.5f, -0.2f, 0.1f, 0.5f, -0.2f, 0.1f};
        float[] position = param(a, "position").values();
        java.util.Arrays.fill(position, 0f);
        float[] uniform = a.forward(x, null, 1, false, null).weights().clone();
        assertThat(uniform).containsOnly(0.25f);
        // Push position 2's embedding along the query: it should now dominate.
        float[] query = param(a, "query").values();
        for (int d = 0; d < 3; d++) {
            position[2 * 3 + d] = 2f * query[d];
        }
        float[] shifted = a.forward(x, null, 1, false, null).weights();
        assertThat(shifted[2]).isGreaterThan(shifted[0]).isGreaterThan(0.25f);
        assertThat(shifted[0]).isEqualTo(shifted[1]).isEqualTo(shifted[3]);
        // A recency bias alone also moves weight, here to the most recent item.
        java.util.Arrays.fill(position, 0f);
        param(a, "recency.bias").values()[0] = 1f;
        float[] recent = a.forward(x, null, 1, false, null).weights();
        assertThat(recent[0]).isCloseTo((float) (Math.E / (Math.E + 3)), within(1e-6f));
    }

    @Test
    void concatLaysOutFieldsInOrderWithMissingFieldsAsZeros() {
        Attention a = new ConcatMlpProvider().create(Map.of(), shape(3, 2, "f"), 0);
        assertThat(a.outputDim()).isEqualTo(6);
        Attention.Pass pass = a.forward(new float[] {1, 2, 3, 4, 5, 6}, new float[] {1, 0, 1}, 1, false, null);
        assertThat(pass.output()).containsExactly(1, 2, 0, 0, 5, 6);
        assertThat(pass.weights()).containsExactly(0.5f, 0f, 0.5f);
    }

    @Test
    void concurrentForwardPassesMatchSequentialOnes() throws Exception {
        Attention a = new FieldSelfAttentionProvider().create(Map.of("layers", "2"), shape(6, 16, "f"), 3);
        SplittableRandom random = new SplittableRandom(8);
        List<float[]> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            float[] x = Seeds.floats(random, 32 * 6 * 16, 1);
            inputs.add(x);
            expected.add(a.forward(x, null, 32, false, null).output());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (float[] x : inputs) {
                futures.add(pool.submit(() -> a.forward(x, null, 32, false, null).output()));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).containsExactly(expected.get(i));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aRowWithNoPresentFieldGivesZeros() {
        for (var provider : List.of(new AttentionPoolingProvider(), new HistoryAttentionProvider(),
                new FieldSelfAttentionProvider(), new FieldGatingProvider(), new ConcatMlpProvider())) {
            Attention a = provider.create(Map.of(), shape(3, 4, "f"), 2);
            float[] x = Seeds.floats(new SplittableRandom(1), 2 * 3 * 4, 1);
            float[] mask = {1, 1, 0, 0, 0, 0};
            Attention.Pass pass = a.forward(x, mask, 2, false, null);
            for (int o = a.outputDim(); o < 2 * a.outputDim(); o++) {
                assertThat(pass.output()[o]).as(provider.name()).isZero();
            }
            float[] grad = new float[x.length];
            float[] gradOut = new float[2 * a.outputDim()];
            java.util.Arrays.fill(gradOut, 1f);
            a.backward(pass, gradOut, grad, new Gradients(a.parameters()));
            for (int i = 12; i < 24; i++) {
                assertThat(grad[i]).as(provider.name() + " gradient of an absent row").isZero();
            }
        }
    }

    @Test
    void configProblemsAreReportedTogether() {
        assertThatThrownBy(() -> new AttentionPoolingProvider().configure(
                Map.of("scoring", "additive", "keyProjection", "true", "attentionDim", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid config for attention-pooling")
                .hasMessageContaining("attentionDim must be between 1 and 4096, got 0")
                .hasMessageContaining("keyProjection=true applies to scoring=dot only");
        assertThatThrownBy(() -> new FieldSelfAttentionProvider().configure(Map.of("heads", "0", "layers", "9")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "heads must be between 1 and 64, got 0", "layers must be between 1 and 8, got 9"));
        assertThatThrownBy(() -> new FieldGatingProvider().configure(Map.of("reduction", "0")))
                .hasMessageContaining("reduction must be between 1 and 1024, got 0");
        assertThatThrownBy(() -> new HistoryAttentionProvider().configure(Map.of("scoring", "bilinear")))
                .hasMessageContaining("setting 'scoring' = 'bilinear': expected one of [additive, dot]");
        assertThatThrownBy(() -> new ConcatMlpProvider().configure(Map.of("dim", "3")))
                .hasMessageContaining("unknown setting 'dim'");
    }

    @Test
    void badArgumentsAreExplained() {
        Attention a = new AttentionPoolingProvider().create(Map.of(), shape(3, 4, "f"), 2);
        assertThatThrownBy(() -> a.forward(new float[5], null, 1, false, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attention-pooling: fields must hold batch * fieldCount * dim = 1 * 3 * 4 = 12 values, "
                        + "got 5");
        Attention other = new AttentionPoolingProvider().create(Map.of(), shape(3, 4, "f"), 2);
        Attention.Pass pass = other.forward(new float[12], null, 1, false, null);
        assertThatThrownBy(() -> a.backward(pass, new float[4], new float[12], new Gradients(a.parameters())))
                .hasMessageStartingWith("attention-pooling: backward was given a pass made by another attention");
        Attention.Pass own = a.forward(new float[12], null, 1, false, null);
        assertThatThrownBy(() -> a.backward(own, new float[3], new float[12], new Gradients(a.parameters())))
                .hasMessage("attention-pooling: gradOutput must hold batch * outputDim = 4 values, got 3");
    }

    @Test
    void headDimDefaultsToDimOverHeads() {
        Attention a = new FieldSelfAttentionProvider().create(Map.of("heads", "4"), shape(3, 64, "f"), 1);
        assertThat(param(a, "layer0.query.weight").shape()).containsExactly(64, 64);
        Attention b = new FieldSelfAttentionProvider().create(Map.of("heads", "2", "headDim", "8"), shape(3, 64, "f"), 1);
        assertThat(param(b, "layer0.output.weight").shape()).containsExactly(64, 16);
    }
}
