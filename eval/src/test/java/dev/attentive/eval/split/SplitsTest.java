package dev.attentive.eval.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.UserId;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.testkit.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitsTest {
    private static final double[] RATIOS = {0.8, 0.1, 0.1};

    @Test
    void recboleRoundingForSmallUsers() {
        assertThat(Splits.counts(10, RATIOS)).containsExactly(8, 1, 1);
        assertThat(Splits.counts(19, RATIOS)).containsExactly(17, 1, 1);
        assertThat(Splits.counts(20, RATIOS)).containsExactly(16, 2, 2);
        assertThat(Splits.counts(5, RATIOS)).containsExactly(3, 1, 1);
        assertThat(Splits.counts(3, RATIOS)).containsExactly(1, 1, 1);
        assertThat(Splits.counts(2, RATIOS)).containsExactly(1, 0, 1);
        assertThat(Splits.counts(1, RATIOS)).containsExactly(1, 0, 0);
    }

    @Test
    void ratioSplitPartitionsEachUserAndIsSeeded() {
        Seeds.forEach(5, 3, (random, seed) -> {
            Dataset data = new SyntheticData(new SyntheticData.Config(60, 80, 4, 10, 1, 2, 0.2)).generate(seed);
            Split a = Splits.ratio(data, RATIOS, seed);
            Split b = Splits.ratio(data, RATIOS, seed);
            assertThat(a).isEqualTo(b);
            Map<UserId, Integer> total = count(data.interactions());
            Map<UserId, Integer> train = count(a.train().interactions());
            Map<UserId, Integer> valid = count(a.valid().interactions());
            Map<UserId, Integer> test = count(a.test().interactions());
            for (var e : total.entrySet()) {
                int[] expected = Splits.counts(e.getValue(), RATIOS);
                assertThat(train.getOrDefault(e.getKey(), 0)).isEqualTo(expected[0]);
                assertThat(valid.getOrDefault(e.getKey(), 0)).isEqualTo(expected[1]);
                assertThat(test.getOrDefault(e.getKey(), 0)).isEqualTo(expected[2]);
            }
            List<Interaction> union = new ArrayList<>(a.train().interactions());
            union.addAll(a.valid().interactions());
            union.addAll(a.test().interactions());
            assertThat(union).containsExactlyInAnyOrderElementsOf(data.interactions());
        });
    }

    @Test
    void leaveOneOutTakesTheLastItemsByTime() {
        Dataset data = new Dataset("t", List.of(
                new Interaction(UserId.of("u"), ItemId.of("c"), 30, 1),
                new Interaction(UserId.of("u"), ItemId.of("a"), 10, 1),
                new Interaction(UserId.of("u"), ItemId.of("b"), 20, 1),
                new Interaction(UserId.of("v"), ItemId.of("a"), 5, 1),
                new Interaction(UserId.of("v"), ItemId.of("b"), 6, 1)), FeatureTable.empty(), FeatureTable.empty());
        Split s = Splits.leaveOneOut(data);
        assertThat(s.test().interactions()).extracting(i -> i.user() + "/" + i.item()).containsExactly("u/c", "v/b");
        assertThat(s.valid().interactions()).extracting(i -> i.user() + "/" + i.item()).containsExactly("u/b");
        assertThat(s.train().interactions()).extracting(i -> i.user() + "/" + i.item()).containsExactly("u/a", "v/a");
    }

    @Test
    void temporalProtocolsRefuseDataWithoutTime() {
        Dataset data = new Dataset("ml-1m", List.of(Interaction.of("u", "a"), Interaction.of("u", "b")),
                FeatureTable.empty(), FeatureTable.empty());
        assertThatThrownBy(() -> Splits.leaveOneOut(data)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("temporal leave-one-out needs a timestamp on every interaction, but 2 of 2")
                .hasMessageContaining("Use the ratio protocol (recbole) instead");
        assertThatThrownBy(() -> Splits.globalTemporal(data, RATIOS)).hasMessageContaining("global temporal split needs a timestamp");
    }

    @Test
    void globalTemporalSplitOrdersByTime() {
        Dataset data = new SyntheticData(new SyntheticData.Config(50, 60, 3, 8, 1, 2, 0.2)).generate(1);
        Split s = Splits.globalTemporal(data, RATIOS);
        long lastTrain = s.train().interactions().stream().mapToLong(Interaction::timestamp).max().orElseThrow();
        long firstTest = s.test().interactions().stream().mapToLong(Interaction::timestamp).min().orElseThrow();
        assertThat(lastTrain).isLessThanOrEqualTo(firstTest);
        assertThat(s.train().interactions().size() + s.valid().interactions().size() + s.test().interactions().size())
                .isEqualTo(data.interactions().size());
    }

    @Test
    void kCoreLeavesEveryUserAndItemWithEnoughInteractions() {
        Seeds.forEach(5, 8, (random, seed) -> {
            Dataset data = new SyntheticData(new SyntheticData.Config(200, 150, 5, 12, 1.2, 2, 0.2)).generate(seed);
            int k = 3 + random.nextInt(8);
            Dataset core = Filters.kCore(data, k, k);
            Map<UserId, Integer> users = count(core.interactions());
            Map<ItemId, Integer> items = new HashMap<>();
            core.interactions().forEach(i -> items.merge(i.item(), 1, Integer::sum));
            assertThat(users.values()).allMatch(c -> c >= k);
            assertThat(items.values()).allMatch(c -> c >= k);
            assertThat(core.items().rows().keySet()).isEqualTo(items.keySet());
            // Idempotent: the k-core of a k-core is itself.
            assertThat(Filters.kCore(core, k, k).interactions()).isEqualTo(core.interactions());
        });
    }

    @Test
    void ratingThresholdKeepsHighRatings() {
        Dataset data = new Dataset("r", List.of(new Interaction(UserId.of("u"), ItemId.of("a"), 1, 2f),
                new Interaction(UserId.of("u"), ItemId.of("b"), 1, 3f), new Interaction(UserId.of("u"), ItemId.of("c"), 1, 5f)),
                FeatureTable.empty(), FeatureTable.empty());
        Set<String> kept = new HashSet<>();
        Filters.ratingAtLeast(data, 3).interactions().forEach(i -> kept.add(i.item().value()));
        assertThat(kept).containsExactlyInAnyOrder("b", "c");
    }

    private static Map<UserId, Integer> count(List<Interaction> list) {
        Map<UserId, Integer> m = new HashMap<>();
        list.forEach(i -> m.merge(i.user(), 1, Integer::sum));
        return m;
    }
}
