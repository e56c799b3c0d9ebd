package dev.attentive.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.EpochStats;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.model.TwoTowerModelProvider;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.model.features.FieldEncoder;
import dev.attentive.model.nn.TwoTowerModel;
import dev.attentive.model.serve.TwoTowerModelTest;
import dev.attentive.model.serve.TwoTowerRecommender;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code historyMode=static-minus-target}, {@code historyDropout} and {@code userIdDropout}: what a
 * training row's history and user fields hold.
 */
class TrainingHistoriesTest {
    private static final Map<String, String> SMALL = Map.of("dim", "16", "userWidths", "32", "itemWidths", "32",
            "batch", "32", "epochs", "6", "lr", "0.01", "historyLength", "5", "temperature", "0.1",
            "historyAttention", "mean");

    @TempDir
    Path tmp;

    private static TwoTowerModelProvider.Config config(String... keyValues) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        return new TwoTowerModelProvider().configure(settings);
    }

    private static Recommender train(Map<String, String> extra, int threads, List<EpochStats> stats) {
        Map<String, String> settings = new LinkedHashMap<>(SMALL);
        settings.putAll(extra);
        return ProviderRegistry.models().get("two-tower").train(TwoTowerModelTest.planted(4), settings,
                new TrainingContext(11, threads, r -> Double.NaN, stats::add));
    }

    @Test
    void theDefaultsAreUnchanged() {
        TwoTowerModelProvider.Config d = new TwoTowerModelProvider().defaultConfig();
        assertThat(d.historyMode()).isEqualTo(TwoTowerModelProvider.HistoryMode.STATIC);
        assertThat(d.historyDropout()).isZero();
        assertThat(d.userIdDropout()).isZero();
    }

    @Test
    void badDropoutIsRefusedWithTheSettingAndTheRange() {
        for (String bad : List.of("1", "-0.1", "1.5")) {
            assertThatThrownBy(() -> config("historyDropout", bad)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("historyDropout must be at least 0 and below 1")
                    .hasMessageContaining("got " + Double.parseDouble(bad));
        }
        for (String bad : List.of("1", "-0.5")) {
            assertThatThrownBy(() -> config("userIdDropout", bad)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("userIdDropout must be at least 0 and below 1")
                    .hasMessageContaining("got " + Double.parseDouble(bad));
        }
        assertThat(config("historyMode", "static-minus-target").historyMode())
                .isEqualTo(TwoTowerModelProvider.HistoryMode.STATIC_MINUS_TARGET);
    }

    @Test
    void minusTargetRemovesEveryOccurrenceOfTheRowsOwnItemAndNothingElse() {
        int[] itemIdRow = {0, 5, 6, 7, 8};
        int[] shared = {5, 6, 7, 5};
        int[][] histories = {shared, shared, shared, {8}};
        int[] candidates = {1, 2, 4, 4};
        TrainingHistories.adjust(histories, candidates, itemIdRow, config("historyMode", "static-minus-target"), 3);
        assertThat(histories[0]).containsExactly(6, 7);
        assertThat(histories[1]).containsExactly(5, 7, 5);
        // Its own item absent: the same array, so one user's rows are still attended once.
        assertThat(histories[2]).isSameAs(shared);
        assertThat(histories[3]).isEmpty();
        assertThat(shared).containsExactly(5, 6, 7, 5);
        // Static history is left as it is.
        int[][] unchanged = {shared};
        TrainingHistories.adjust(unchanged, new int[] {1}, itemIdRow, config("historyMode", "static"), 3);
        assertThat(unchanged[0]).isSameAs(shared);
    }

    @Test
    void dropoutKeepsOrderAndLeavesOutAboutItsShare() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        int[] history = new int[10_000];
        Arrays.setAll(history, i -> i + 1);
        int[] kept = TrainingHistories.dropped(history, 0.3, random);
        assertThat((double) kept.length / history.length).as("seed %d", seed).isBetween(0.67, 0.73);
        assertThat(kept).as("seed %d", seed).isSorted();
        assertThat(TrainingHistories.dropped(history, 0, random)).isSameAs(history);
        // The draws depend on the step's seed only.
        int[][] a = {history};
        int[][] b = {history};
        TwoTowerModelProvider.Config c = config("historyDropout", "0.5");
        TrainingHistories.adjust(a, new int[] {0}, new int[] {0}, c, 42);
        TrainingHistories.adjust(b, new int[] {0}, new int[] {0}, c, 42);
        assertThat(a[0]).isEqualTo(b[0]).isNotEqualTo(history);
    }

    @Test
    void userIdDropoutHidesAboutItsShareOfRowsIdsAndKeepsTheirOtherFields() {
        Dataset data = TwoTowerModelTest.planted(6);
        TwoTowerModel model = TwoTowerModel.build(data, config("userIdDropout", "0.5"), 1);
        int users = model.users.length;
        FieldEncoder.Encoded[] withId = new FieldEncoder.Encoded[users];
        FieldEncoder.Encoded[] withoutId = new FieldEncoder.Encoded[users];
        for (int u = 0; u < users; u++) {
            withId[u] = model.encodeUser(u, model.userFeatures[u], Interaction.NO_TIMESTAMP, "user");
            withoutId[u] = model.encodeUser(-1, model.userFeatures[u], Interaction.NO_TIMESTAMP, "user");
        }
        int n = 2_000;
        int[] order = new int[n];
        int[] userOf = new int[n];
        FieldEncoder.Encoded[] rows = new FieldEncoder.Encoded[n];
        for (int x = 0; x < n; x++) {
            order[x] = x;
            userOf[x] = x % users;
            rows[x] = withId[userOf[x]];
        }
        Trainer.hideUserIds(model, rows, order, 0, userOf, data.interactions(), withoutId, 0.5, 99);
        int hidden = 0;
        for (int x = 0; x < n; x++) {
            if (rows[x] == withoutId[userOf[x]]) {
                hidden++;
            } else {
                assertThat(rows[x]).isSameAs(withId[userOf[x]]);
            }
        }
        assertThat(hidden).isBetween(900, 1100);
        // Hidden: the id field (field 0) is empty, every other field is the user's own.
        FieldEncoder.Encoded a = withId[0];
        FieldEncoder.Encoded b = withoutId[0];
        assertThat(a.offsets()[1]).isEqualTo(1);
        assertThat(b.offsets()[1]).isZero();
        assertThat(Arrays.copyOfRange(b.rows(), 0, b.rows().length))
                .isEqualTo(Arrays.copyOfRange(a.rows(), 1, a.rows().length));
    }

    @Test
    void theSettingsTrainReproduciblyChangeTheModelAndSaveWithTheirConfig() throws IOException {
        Map<String, String> both = Map.of("historyMode", "static-minus-target", "historyDropout", "0.3",
                "userIdDropout", "0.25");
        List<EpochStats> one = new ArrayList<>();
        List<EpochStats> two = new ArrayList<>();
        List<EpochStats> plain = new ArrayList<>();
        RecommendationRequest request = RecommendationRequest.forUser(UserId.of("u3")).k(10).build();
        train(Map.of(), 1, plain).close();
        try (Recommender a = train(both, 1, one); Recommender b = train(both, 2, two)) {
            assertThat(two.stream().map(EpochStats::loss).toList()).isEqualTo(one.stream().map(EpochStats::loss).toList());
            assertThat(b.recommend(request)).isEqualTo(a.recommend(request));
            assertThat(one.get(one.size() - 1).loss()).isLessThan(one.get(0).loss());
            assertThat(one.stream().map(EpochStats::loss).toList())
                    .isNotEqualTo(plain.stream().map(EpochStats::loss).toList());
            // It still learns the planted taste: user u3 (taste b) gets items of kind b (odd numbers).
            assertThat(a.recommend(request).subList(0, 5)).allMatch(r -> Integer.parseInt(r.item().value()
                    .substring(1)) % 2 == 1);
            Path dir = tmp.resolve("model");
            TwoTowerModels.save(a, dir);
            try (Recommender loaded = TwoTowerModels.load(dir)) {
                TwoTowerModelProvider.Config saved = ((TwoTowerRecommender) loaded).model.config;
                assertThat(saved.historyMode()).isEqualTo(TwoTowerModelProvider.HistoryMode.STATIC_MINUS_TARGET);
                assertThat(saved.historyDropout()).isEqualTo(0.3);
                assertThat(saved.userIdDropout()).isEqualTo(0.25);
                assertThat(loaded.recommend(request)).isEqualTo(a.recommend(request));
                assertThat(loaded.similarItems(ItemId.of("i2"), 5, dev.attentive.api.ItemFilter.all()))
                        .isEqualTo(a.similarItems(ItemId.of("i2"), 5, dev.attentive.api.ItemFilter.all()));
            }
        }
    }
}
