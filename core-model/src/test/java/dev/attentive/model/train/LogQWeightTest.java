package dev.attentive.model.train;

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
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.EpochStats;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.model.TwoTowerModelProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code logQWeight}: its checks, its wiring (0 trains exactly as {@code logQ=false}, the default 1.5
 * exactly as a config that does not name it) and its effect on data whose items differ only in
 * popularity (above 1 the model recommends frequent items more, below 1 less).
 */
class LogQWeightTest {
    private static final Map<String, String> SMALL = Map.ofEntries(Map.entry("dim", "16"),
            Map.entry("userWidths", "32"), Map.entry("itemWidths", "32"), Map.entry("batch", "32"),
            Map.entry("epochs", "15"), Map.entry("lr", "0.01"), Map.entry("historyLength", "5"),
            Map.entry("temperature", "0.1"), Map.entry("historyAttention", "mean"));

    private static Map<String, String> with(String... keyValues) {
        Map<String, String> settings = new LinkedHashMap<>(SMALL);
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        return settings;
    }

    private static Recommender train(Dataset data, Map<String, String> settings, List<EpochStats> stats) {
        return ProviderRegistry.models().get("two-tower").train(data, settings,
                new TrainingContext(7, 1, r -> Double.NaN, stats::add));
    }

    /** 80 users, 30 items without any taste: item {@code i} is drawn with weight {@code 1 / (i + 1)}. */
    static Dataset skewed(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] cumulative = new double[30];
        double total = 0;
        for (int i = 0; i < 30; i++) {
            total += 1.0 / (i + 1);
            cumulative[i] = total;
        }
        Map<UserId, Features> users = new LinkedHashMap<>();
        Map<ItemId, Features> items = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            items.put(ItemId.of("i" + i), Features.builder().categorical("kind", "k" + i % 3).build());
        }
        List<Interaction> interactions = new ArrayList<>();
        for (int u = 0; u < 80; u++) {
            users.put(UserId.of("u" + u), Features.builder().categorical("group", "g" + u % 4).build());
            for (int k = 0; k < 8; k++) {
                double x = random.nextDouble() * total;
                int item = 0;
                while (cumulative[item] < x) {
                    item++;
                }
                interactions.add(new Interaction(UserId.of("u" + u), ItemId.of("i" + item), 1000L * k + u, 1f));
            }
        }
        return new Dataset("skewed", interactions,
                new FeatureTable<>(FeatureSchema.of(FieldSpec.categorical("group")), users),
                new FeatureTable<>(FeatureSchema.of(FieldSpec.categorical("kind")), items));
    }

    /** The mean training count of every user's top 5 (the users' own items excluded, as served). */
    private static double meanPopularity(Recommender r, Dataset data) {
        Map<String, Integer> counts = new HashMap<>();
        for (Interaction x : data.interactions()) {
            counts.merge(x.item().value(), 1, Integer::sum);
        }
        double sum = 0;
        int n = 0;
        for (int u = 0; u < 80; u++) {
            for (Recommendation rec : r.recommend(RecommendationRequest.forUser(UserId.of("u" + u)).k(5).build())) {
                sum += counts.getOrDefault(rec.item().value(), 0);
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void defaultsToOneAndAHalfAndRefusesWhatIsNotAWeight() {
        TwoTowerModelProvider provider = new TwoTowerModelProvider();
        assertThat(provider.defaultConfig().logQWeight()).isEqualTo(1.5);
        assertThat(provider.configure(Map.of("logQWeight", "1")).logQWeight()).isEqualTo(1.0);
        for (String bad : List.of("-0.5", "NaN", "Infinity")) {
            assertThatThrownBy(() -> provider.configure(Map.of("logQWeight", bad))).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("logQWeight must be a finite number at least 0");
        }
    }

    @Test
    void zeroTrainsAsWithoutLogQAndOneAndAHalfAsTheDefault() {
        Dataset data = skewed(1);
        List<EpochStats> zero = new ArrayList<>();
        List<EpochStats> off = new ArrayList<>();
        List<EpochStats> one = new ArrayList<>();
        List<EpochStats> unnamed = new ArrayList<>();
        List<EpochStats> more = new ArrayList<>();
        try (Recommender a = train(data, with("epochs", "3", "logQWeight", "0"), zero);
                Recommender b = train(data, with("epochs", "3", "logQ", "false"), off);
                Recommender c = train(data, with("epochs", "3", "logQWeight", "1"), one);
                Recommender d = train(data, with("epochs", "3"), unnamed);
                Recommender e = train(data, with("epochs", "3", "logQWeight", "1.5"), more)) {
            assertThat(zero.stream().map(EpochStats::loss).toList()).isEqualTo(off.stream().map(EpochStats::loss).toList());
            assertThat(more.stream().map(EpochStats::loss).toList())
                    .isEqualTo(unnamed.stream().map(EpochStats::loss).toList());
            assertThat(more.stream().map(EpochStats::loss).toList())
                    .isNotEqualTo(one.stream().map(EpochStats::loss).toList());
            var request = RecommendationRequest.forUser(UserId.of("u3")).k(10).build();
            assertThat(b.recommend(request)).isEqualTo(a.recommend(request));
            assertThat(d.recommend(request)).isEqualTo(e.recommend(request));
            assertThat(c.recommend(request)).hasSize(10);
        }
    }

    @Test
    void aboveOneFavoursFrequentItemsAndBelowOneHoldsThemBack() {
        Dataset data = skewed(2);
        try (Recommender low = train(data, with("logQWeight", "0.5"), new ArrayList<>());
                Recommender whole = train(data, with("logQWeight", "1"), new ArrayList<>());
                Recommender high = train(data, with("logQWeight", "2"), new ArrayList<>())) {
            double l = meanPopularity(low, data);
            double w = meanPopularity(whole, data);
            double h = meanPopularity(high, data);
            assertThat(l).as("0.5 vs 1: %s, %s, %s", l, w, h).isLessThan(w);
            assertThat(h).as("2 vs 1: %s, %s, %s", l, w, h).isGreaterThan(w);
        }
    }
}
