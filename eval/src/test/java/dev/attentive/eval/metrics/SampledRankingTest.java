package dev.attentive.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.eval.split.Split;
import dev.attentive.eval.split.Splits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class SampledRankingTest {
    /** Ranks every item that is not excluded (in catalogue order) and records what it could rank. */
    private static final class Recording implements Recommender {
        final List<String> catalogue;
        final Map<UserId, Set<String>> candidates = new ConcurrentHashMap<>();

        Recording(List<String> catalogue) {
            this.catalogue = catalogue;
        }

        @Override
        public List<Recommendation> recommend(RecommendationRequest request) {
            Set<String> seen = Set.of("i" + request.userId().value().substring(1)); // u<n> trained on i<n>
            List<Recommendation> out = new ArrayList<>();
            Set<String> allowed = new TreeSet<>();
            for (String item : catalogue) {
                if (!request.exclusions().contains(ItemId.of(item)) && !seen.contains(item)) {
                    allowed.add(item);
                    if (out.size() < request.k()) {
                        out.add(new Recommendation(ItemId.of(item), -out.size()));
                    }
                }
            }
            candidates.put(request.userId(), allowed);
            return out;
        }

        @Override
        public List<Recommendation> similarItems(ItemId item, int k, ItemFilter filter) {
            return List.of();
        }
    }

    @Test
    void negativesAreFixedBySeedOncePerUserAndExcludeTrainMaskAndTargets() {
        List<Interaction> train = new ArrayList<>();
        List<String> catalogue = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            catalogue.add("i" + i);
        }
        for (int u = 0; u < 4; u++) {
            train.add(Interaction.of("u" + u, "i" + u)); // u's own training item
        }
        for (String item : catalogue) {
            train.add(Interaction.of("anchor", item));
        }
        Dataset trainSet = new Dataset("t", train, FeatureTable.empty(), FeatureTable.empty());
        Dataset target = trainSet.withInteractions(List.of(Interaction.of("u0", "i10"), Interaction.of("u1", "i11"),
                Interaction.of("u1", "i12")));
        Dataset mask = trainSet.withInteractions(List.of(Interaction.of("u0", "i20")));
        Evaluator sampled = new Evaluator(trainSet, new int[] {1, 5}, 2).sampled(5, 7);
        Recording a = new Recording(catalogue);
        Recording b = new Recording(catalogue);
        sampled.evaluate(a, target, mask);
        sampled.evaluate(b, target, mask);
        assertThat(a.candidates).isEqualTo(b.candidates);
        Set<String> u0 = a.candidates.get(UserId.of("u0"));
        assertThat(u0).hasSize(6).contains("i10").doesNotContain("i0", "i20");
        assertThat(a.candidates.get(UserId.of("u1"))).hasSize(7).contains("i11", "i12").doesNotContain("i1");
        Recording other = new Recording(catalogue);
        new Evaluator(trainSet, new int[] {1, 5}, 2).sampled(5, 8).evaluate(other, target, mask);
        assertThat(other.candidates).isNotEqualTo(a.candidates);
        assertThatThrownBy(() -> sampled.sampled(0, 1)).hasMessage("sampled ranking needs at least 1 negative per user, got 0");
    }

    @Test
    void sampledMetricsAreHigherThanFullRankingForTheSameModel() {
        Dataset d = new SyntheticData(new SyntheticData.Config(200, 150, 5, 20, 0.8, 3, 0.3)).generate(3);
        Split split = Splits.ratio(d, new double[] {0.8, 0.1, 0.1}, 2020);
        Evaluator full = new Evaluator(split.train(), new int[] {10}, 2);
        try (Recommender pop = ProviderRegistry.models().get("pop").train(split.train(), Map.of(), TrainingContext.of(1))) {
            double fullRecall = full.evaluate(pop, split.test(), split.valid()).get("recall@10");
            double sampledRecall = full.sampled(20, 1).evaluate(pop, split.test(), split.valid()).get("recall@10");
            assertThat(sampledRecall).isGreaterThan(fullRecall);
        }
    }
}
