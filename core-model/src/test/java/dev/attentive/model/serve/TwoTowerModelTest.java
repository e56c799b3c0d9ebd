package dev.attentive.model.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.EpochStats;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.kernels.Vectors;
import dev.attentive.model.TwoTowerModelProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The two-tower model on planted synthetic data: users of taste a/b interact with items of kind a/b. */
public class TwoTowerModelTest {
    private static final Map<String, String> SMALL = Map.of("dim", "16", "userWidths", "32", "itemWidths", "32",
            "batch", "32", "epochs", "30", "lr", "0.01", "historyLength", "5", "temperature", "0.1",
            "historyAttention", "mean");

    /**
     * The planted data set: 60 users of taste a or b, 30 items of kind a or b, eight interactions per
     * user with items of the user's taste.
     *
     * @param seed the seed of the draw
     * @return the data set
     */
    public static Dataset planted(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<UserId, Features> users = new LinkedHashMap<>();
        Map<ItemId, Features> items = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            items.put(ItemId.of("i" + i), Features.builder().categorical("kind", i % 2 == 0 ? "a" : "b")
                    .numeric("year", 1990 + i).build());
        }
        List<Interaction> interactions = new ArrayList<>();
        for (int u = 0; u < 60; u++) {
            String taste = u % 2 == 0 ? "a" : "b";
            users.put(UserId.of("u" + u), Features.builder().categorical("taste", taste).build());
            for (int k = 0; k < 8; k++) {
                int item = 2 * random.nextInt(15) + (u % 2);
                interactions.add(new Interaction(UserId.of("u" + u), ItemId.of("i" + item), 1000L * k + u, 1f));
            }
        }
        return new Dataset("planted", interactions,
                new FeatureTable<>(FeatureSchema.of(FieldSpec.categorical("taste")), users),
                new FeatureTable<>(FeatureSchema.of(FieldSpec.categorical("kind"), FieldSpec.numeric("year")), items));
    }

    private static Recommender train(Dataset data, Map<String, String> settings, List<EpochStats> stats, int threads) {
        return ProviderRegistry.models().get("two-tower").train(data, settings,
                new TrainingContext(7, threads, r -> Double.NaN, stats::add));
    }

    private static long kindShare(List<Recommendation> recs, String kind) {
        return recs.stream().filter(r -> (Integer.parseInt(r.item().value().substring(1)) % 2 == 0) == kind.equals("a"))
                .count();
    }

    @Test
    void learnsThePlantedTasteAndServesUnknownUsersAndColdItems() {
        Dataset data = planted(1);
        List<EpochStats> stats = new ArrayList<>();
        try (Recommender r = train(data, SMALL, stats, 2)) {
            assertThat(stats).hasSize(30);
            assertThat(stats.get(29).loss()).isLessThan(stats.get(0).loss());
            List<Recommendation> known = r.recommend(RecommendationRequest.forUser(UserId.of("u0")).k(5).build());
            assertThat(kindShare(known, "a")).as("%s", known).isEqualTo(5);
            // An unknown user with features and recent items of kind b.
            List<Recommendation> anonymous = r.recommend(RecommendationRequest.builder()
                    .features(Features.builder().categorical("taste", "b").build())
                    .recentItems(List.of(ItemId.of("i1"), ItemId.of("i3"))).k(5).build());
            assertThat(kindShare(anonymous, "b")).isEqualTo(5);
            // A cold-start item of kind a, from features only, lies nearer to kind-a items.
            TwoTowerRecommender model = (TwoTowerRecommender) r;
            float[] cold = model.embedItem(ItemId.of("new"), Features.builder().categorical("kind", "a")
                    .numeric("year", 2001).build());
            double toA = 0;
            double toB = 0;
            for (int i = 0; i < 30; i++) {
                double dot = Vectors.dot(cold, 0, model.itemEmbedding(ItemId.of("i" + i)), 0, cold.length);
                if (i % 2 == 0) {
                    toA += dot;
                } else {
                    toB += dot;
                }
            }
            assertThat(toA).isGreaterThan(toB);
            // Seen items are excluded; filters and exclusions are honoured.
            List<Recommendation> filtered = r.recommend(RecommendationRequest.forUser(UserId.of("u0")).k(30)
                    .filter(dev.attentive.api.ItemFilter.equalTo("kind", "b")).exclude(java.util.Set.of(ItemId.of("i1")))
                    .build());
            assertThat(filtered).allMatch(x -> kindShare(List.of(x), "b") == 1).noneMatch(x -> x.item().value().equals("i1"));
            List<Recommendation> similar = r.similarItems(ItemId.of("i0"), 3, dev.attentive.api.ItemFilter.all());
            assertThat(similar).hasSize(3).noneMatch(x -> x.item().value().equals("i0"));
        }
    }

    @Test
    void sameSeedGivesTheSameModelWhateverTheThreadCount() {
        Dataset data = planted(2);
        Map<String, String> settings = new LinkedHashMap<>(SMALL);
        settings.put("epochs", "3");
        List<EpochStats> one = new ArrayList<>();
        List<EpochStats> two = new ArrayList<>();
        try (Recommender a = train(data, settings, one, 1); Recommender b = train(data, settings, two, 2)) {
            assertThat(two.stream().map(EpochStats::loss).toList()).isEqualTo(one.stream().map(EpochStats::loss).toList());
            var request = RecommendationRequest.forUser(UserId.of("u3")).k(10).build();
            assertThat(b.recommend(request)).isEqualTo(a.recommend(request));
        }
    }

    @Test
    void divergenceStopsWithTheStepAndProducesNoModel() {
        Map<String, String> settings = new LinkedHashMap<>(SMALL);
        settings.put("learnTemperature", "true");
        settings.put("temperature", "1e-45");
        assertThatThrownBy(() -> train(planted(3), settings, new ArrayList<>(), 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Training diverged at step 1")
                .hasMessageContaining("No model was produced");
    }

    @Test
    void unknownRequestFieldIsNamed() {
        Map<String, String> settings = new LinkedHashMap<>(SMALL);
        settings.put("epochs", "1");
        try (Recommender r = train(planted(4), settings, new ArrayList<>(), 1)) {
            assertThatThrownBy(() -> r.recommend(RecommendationRequest.forUser(UserId.of("u1"))
                    .features(Features.builder().categorical("mood", "x").build()).build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Unknown field 'mood' in user u1");
        }
    }

    @Test
    void explanationsWeighFieldsAndHistoryAndTheContributionsSumToTheScore() {
        Map<String, String> settings = new LinkedHashMap<>(SMALL);
        settings.put("epochs", "3");
        try (Recommender r = train(planted(6), settings, new ArrayList<>(), 1)) {
            assertThat(r.recommend(RecommendationRequest.forUser(UserId.of("u2")).k(3).build()))
                    .allMatch(x -> x.explanation().isEmpty());
            List<Recommendation> recs = r.recommend(RecommendationRequest.forUser(UserId.of("u2")).k(5).explain(true)
                    .build());
            assertThat(recs).hasSize(5);
            for (Recommendation rec : recs) {
                var e = rec.explanation().orElseThrow();
                assertThat(sum(e.userFieldWeights())).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
                assertThat(e.userFieldWeights()).extracting(dev.attentive.api.Explanation.Weight::name)
                        .containsExactlyInAnyOrder("userId", "taste", "history");
                assertThat(sum(e.historyItems())).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
                assertThat(e.historyItems()).hasSize(5)
                        .allMatch(w -> Integer.parseInt(w.name().substring(1)) % 2 == 0, "u2's items are of kind a");
                assertThat(sum(e.itemFieldWeights())).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
                assertThat(sum(e.contributions())).isCloseTo(rec.score(), org.assertj.core.data.Offset.offset(1e-9));
                assertThat(e.contributions()).extracting(dev.attentive.api.Explanation.Weight::name)
                        .contains("userId", "taste", "history", Explainer.NONLINEAR);
            }
        }
    }

    private static double sum(List<dev.attentive.api.Explanation.Weight> weights) {
        return weights.stream().mapToDouble(dev.attentive.api.Explanation.Weight::value).sum();
    }

    @Test
    void attentionSettingsArePassedByPrefixOrString() {
        var provider = new TwoTowerModelProvider();
        var config = provider.configure(Map.of("attention.heads", "2", "historyAttention.temperature", "0.5"));
        assertThat(config.attentionSettings()).isEqualTo("heads=2");
        assertThat(config.historyAttentionSettings()).isEqualTo("temperature=0.5");
        assertThat(TwoTowerModelProvider.parseSettings("heads=2; layers=1")).containsExactly(
                Map.entry("heads", "2"), Map.entry("layers", "1"));
        assertThatThrownBy(() -> provider.configure(Map.of("attentionSettings", "heads")))
                .hasMessageContaining("attentionSettings: 'heads' is not key=value");
        // The mean attention has no settings: an unknown one is refused by the plugin, by name.
        assertThatThrownBy(() -> train(planted(1), Map.of("attention.heads", "2", "epochs", "1"), new ArrayList<>(), 1))
                .hasMessageContaining("heads");
    }
}
