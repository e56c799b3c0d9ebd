package dev.attentive.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Parameter;
import dev.attentive.kernels.ParallelFor;
import dev.attentive.model.features.FieldEncoder;
import dev.attentive.testkit.Seeds;
import org.junit.jupiter.api.Test;

/**
 * The trainer's staged user side ({@link Side#prepare} into two history parts attended and
 * back-propagated on two threads, the second part's parameter gradients in
 * {@link Side.Grads#historyPart}) gives the embeddings of {@link Side#forward} exactly and its
 * gradients up to the order in which the two parts' parameter gradients are summed.
 */
class SideHistoryPartsTest {
    @Test
    void historyPartsOnTwoThreadsMatchOnePass() {
        try (ParallelFor two = new ParallelFor(2, "test-parts")) {
            Seeds.forEach(8, 4716, (random, seed) -> {
                TwoTowerModel model = SideGradientTest.model(random, seed, "mean");
                int n = model.user.historyLength;
                Side side = new Side("user", model.user.dim, model.user.fields, model.user.tables,
                        new SideGradientTest.GateAttention(model.user.fieldCount(), model.user.dim, random),
                        model.user.tower, new SideGradientTest.GateAttention(n, model.user.dim, random), n);
                side.historyTable = model.user.historyTable;
                int batch = 3 + random.nextInt(6);
                FieldEncoder.Encoded[] rows = SideGradientTest.userRows(model, random, batch);
                int[][] histories = SideGradientTest.histories(model, random, batch);
                float[] probe = Seeds.floats(random, batch * side.dim, 1);

                Side.Pass whole = side.forward(rows, histories, false, null);
                Side.Grads one = side.new Grads();
                side.backward(whole, probe, one);

                Side.Pass staged = side.prepare(rows, histories, false, 2);
                int parts = Side.historyParts(staged);
                assertThat(parts).isEqualTo(Math.min(2, staged.distinct));
                two.forEach(parts, k -> side.forwardHistory(staged, k, null));
                side.finishForward(staged, null);
                assertThat(staged.embeddings).containsExactly(whole.embeddings);
                Side.Grads split = side.new Grads();
                side.backwardTop(staged, probe, split);
                two.forEach(parts, k -> side.backwardHistory(staged, k, k == 0 ? split.dense : split.historyPart));
                side.finishBackward(staged, split);

                for (int t = 0; t < side.tables.length; t++) {
                    assertThat(split.tables[t].values).as(side.tables[t].name()).containsExactly(one.tables[t].values);
                }
                assertThat(split.history.values).as("history").containsExactly(one.history.values);
                for (Parameter p : side.denseParameters()) {
                    float[] want = one.dense.of(p);
                    float[] got = split.dense.of(p);
                    for (int i = 0; i < want.length; i++) {
                        assertThat((double) got[i]).as("%s[%d]", p.name(), i).isCloseTo(want[i],
                                org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(want[i]))));
                    }
                }
                for (Parameter p : side.historyAttention.parameters()) {
                    assertThat(split.historyPart.of(p)).as("%s, second accumulator zeroed", p.name()).containsOnly(0f);
                }
            });
        }
    }
}
