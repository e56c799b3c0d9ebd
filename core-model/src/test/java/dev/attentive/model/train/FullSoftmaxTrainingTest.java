package dev.attentive.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.EpochStats;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.model.TwoTowerModelProvider;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.model.serve.TwoTowerModelTest;
import dev.attentive.model.serve.TwoTowerRecommender;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code softmax=full} end to end on the planted data of {@link TwoTowerModelTest} (60 users of
 * taste a or b, 30 items of kind a or b, each user's items of the user's taste): it learns the
 * taste, is deterministic per seed, and its settings are checked and saved.
 */
class FullSoftmaxTrainingTest {
    private static final Map<String, String> FULL = Map.ofEntries(Map.entry("dim", "16"),
            Map.entry("userWidths", "32"), Map.entry("itemWidths", "32"), Map.entry("batch", "32"),
            Map.entry("epochs", "20"), Map.entry("lr", "0.01"), Map.entry("historyLength", "5"),
            Map.entry("temperature", "0.1"), Map.entry("historyAttention", "mean"), Map.entry("softmax", "full"));

    @TempDir
    Path tmp;

    private static Recommender train(Dataset data, Map<String, String> settings, long seed, int threads,
            List<EpochStats> stats) {
        return ProviderRegistry.models().get("two-tower").train(data, settings,
                new TrainingContext(seed, threads, r -> Double.NaN, stats::add));
    }

    private static Map<String, String> with(String... keyValues) {
        Map<String, String> settings = new LinkedHashMap<>(FULL);
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        return settings;
    }

    /** The share of the top-5 recommendations of every user that are of the user's taste (random: 0.5). */
    private static double tasteShare(Recommender r) {
        int hits = 0;
        int total = 0;
        for (int u = 0; u < 60; u++) {
            List<Recommendation> recs = r.recommend(RecommendationRequest.forUser(UserId.of("u" + u)).k(5).build());
            for (Recommendation rec : recs) {
                int item = Integer.parseInt(rec.item().value().substring(1));
                hits += item % 2 == u % 2 ? 1 : 0;
                total++;
            }
        }
        return (double) hits / total;
    }

    @Test
    void learnsThePlantedTaste() {
        List<EpochStats> stats = new ArrayList<>();
        try (Recommender r = train(TwoTowerModelTest.planted(1), FULL, 7, 1, stats)) {
            assertThat(((TwoTowerRecommender) r).model.config.softmax()).isEqualTo(TwoTowerModelProvider.Softmax.FULL);
            assertThat(stats).hasSize(20);
            assertThat(stats.get(19).loss()).isLessThan(stats.get(0).loss());
            // Every item is a candidate: the first epoch's loss starts near log(30) = 3.4, well above
            // what the in-batch softmax over at most 32 items would see after learning.
            assertThat(stats.get(0).loss()).isGreaterThan(3.0);
            double share = tasteShare(r);
            assertThat(share).as("share of the user's taste in the top 5 (random 0.5)").isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void sameSeedSameModelWhateverTheThreadCountAndAnotherSeedDiffers() {
        Dataset data = TwoTowerModelTest.planted(2);
        Map<String, String> settings = with("epochs", "3");
        List<EpochStats> one = new ArrayList<>();
        List<EpochStats> two = new ArrayList<>();
        List<EpochStats> again = new ArrayList<>();
        List<EpochStats> other = new ArrayList<>();
        try (Recommender a = train(data, settings, 7, 1, one); Recommender b = train(data, settings, 7, 2, two);
                Recommender c = train(data, settings, 7, 1, again); Recommender d = train(data, settings, 8, 1, other)) {
            assertThat(two.stream().map(EpochStats::loss).toList()).isEqualTo(one.stream().map(EpochStats::loss).toList());
            assertThat(again.stream().map(EpochStats::loss).toList()).isEqualTo(one.stream().map(EpochStats::loss).toList());
            assertThat(other.stream().map(EpochStats::loss).toList()).isNotEqualTo(one.stream().map(EpochStats::loss)
                    .toList());
            var request = RecommendationRequest.forUser(UserId.of("u3")).k(10).build();
            assertThat(b.recommend(request)).isEqualTo(a.recommend(request));
            assertThat(c.recommend(request)).isEqualTo(a.recommend(request));
            assertThat(d.recommend(request)).hasSize(10);
        }
    }

    @Test
    void differsFromTheSampledSoftmaxAndIgnoresLogQ() {
        Dataset data = TwoTowerModelTest.planted(3);
        List<EpochStats> full = new ArrayList<>();
        List<EpochStats> fullWithoutLogQ = new ArrayList<>();
        List<EpochStats> sampled = new ArrayList<>();
        try (Recommender a = train(data, with("epochs", "2"), 7, 1, full);
                Recommender b = train(data, with("epochs", "2", "logQ", "false"), 7, 1, fullWithoutLogQ);
                Recommender c = train(data, with("epochs", "2", "softmax", "sampled"), 7, 1, sampled)) {
            assertThat(fullWithoutLogQ.stream().map(EpochStats::loss).toList())
                    .isEqualTo(full.stream().map(EpochStats::loss).toList());
            var request = RecommendationRequest.forUser(UserId.of("u5")).k(10).build();
            assertThat(b.recommend(request)).isEqualTo(a.recommend(request));
            assertThat(sampled.get(0).loss()).isNotEqualTo(full.get(0).loss());
            assertThat(c.recommend(request)).isNotEqualTo(a.recommend(request));
        }
    }

    @Test
    void defaultIsSampledAndBadSettingsAreNamed() {
        var provider = new TwoTowerModelProvider();
        assertThat(provider.defaultConfig().softmax()).isEqualTo(TwoTowerModelProvider.Softmax.SAMPLED);
        assertThat(provider.configure(Map.of()).softmax()).isEqualTo(TwoTowerModelProvider.Softmax.SAMPLED);
        assertThat(provider.configure(Map.of("softmax", "FULL")).softmax()).isEqualTo(TwoTowerModelProvider.Softmax.FULL);
        assertThatThrownBy(() -> provider.configure(Map.of("softmax", "full", "negatives", "256")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("negatives=256 does not apply with softmax=full (every catalogue item is already "
                        + "a negative of every row); leave negatives at 0, or use softmax=sampled for extra sampled "
                        + "negatives");
        assertThat(provider.configure(Map.of("softmax", "sampled", "negatives", "256")).negatives()).isEqualTo(256);
        assertThatThrownBy(() -> provider.configure(Map.of("softmax", "catalogue")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("softmax")
                .hasMessageContaining("[full, sampled]");
    }

    @Test
    void theSettingIsSavedAndLoaded() throws IOException {
        try (Recommender r = train(TwoTowerModelTest.planted(4), with("epochs", "1"), 7, 1, new ArrayList<>())) {
            TwoTowerModels.save(r, tmp.resolve("full"));
        }
        try (Recommender loaded = TwoTowerModels.load(tmp.resolve("full"))) {
            assertThat(((TwoTowerRecommender) loaded).model.config.softmax())
                    .isEqualTo(TwoTowerModelProvider.Softmax.FULL);
        }
    }
}
