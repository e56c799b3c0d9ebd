package dev.attentive.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Attention;
import dev.attentive.api.Explanation;
import dev.attentive.api.spi.AttentionShape;
import dev.attentive.testkit.Seeds;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AttentionExplanationsTest {

    @Test
    void ranksWeightsHighestFirstDroppingAbsentFields() {
        List<String> names = List.of("age", "gender", "occupation", "zip");
        float[] weights = {0.9f, 0.9f, 0.1f, 0.2f, 0f, 0.7f, 0.3f, 0f};
        assertThat(AttentionExplanations.ranked(names, weights, 4)).containsExactly(
                new Explanation.Weight("gender", 0.7f), new Explanation.Weight("occupation", 0.3f));
        assertThat(AttentionExplanations.ranked(names, new float[] {0.25f, 0.25f, 0.25f, 0.25f}, 0))
                .extracting(Explanation.Weight::name).containsExactly("age", "gender", "occupation", "zip");
    }

    @Test
    void explainsARealPassWithWeightsSummingToOne() {
        List<String> names = List.of("recent-0", "recent-1", "recent-2", "recent-3", "recent-4");
        Attention a = new HistoryAttentionProvider().create(Map.of(), new AttentionShape(names, 8), 4);
        float[] x = Seeds.floats(new SplittableRandom(2), 2 * 5 * 8, 1);
        float[] mask = {1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
        Attention.Pass pass = a.forward(x, mask, 2, false, null);
        List<Explanation.Weight> second = AttentionExplanations.ranked(names, pass, 1);
        assertThat(second).extracting(Explanation.Weight::name).containsExactlyInAnyOrder("recent-0", "recent-1");
        assertThat(second.get(0).value()).isGreaterThanOrEqualTo(second.get(1).value());
        assertThat(second.stream().mapToDouble(Explanation.Weight::value).sum())
                .isCloseTo(1, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(AttentionExplanations.top(names, pass, 0, 3)).hasSize(3);
    }

    @Test
    void rejectsMismatchedNames() {
        Attention a = new AttentionPoolingProvider().create(Map.of(), new AttentionShape(List.of("a", "b"), 2), 1);
        Attention.Pass pass = a.forward(new float[4], null, 1, false, null);
        assertThatThrownBy(() -> AttentionExplanations.ranked(List.of("a"), pass, 0))
                .hasMessage("The pass has 2 weights for 1 rows but 1 field names were given; pass the attention's "
                        + "field names");
        assertThatThrownBy(() -> AttentionExplanations.ranked(List.of("a", "b"), pass, 1))
                .hasMessage("row 1 is outside the pass's 1 rows");
    }
}
