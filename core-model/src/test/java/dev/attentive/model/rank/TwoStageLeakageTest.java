package dev.attentive.model.rank;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureSchema;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.FeatureType;
import dev.attentive.api.Features;
import dev.attentive.api.FieldSpec;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Ranker training never sees a validation or test item, nor a positive that the sources which
 * produced its list were fitted on: the trainer's trace of every ranker target is checked against
 * an outer split made here (each user's last two interactions are validation and test, as a
 * leave-one-out harness does) and against the nested split's inner fit.
 */
class TwoStageLeakageTest {

    private static Dataset data(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<ItemId, Features> items = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            items.put(ItemId.of("i" + i), Features.builder().categorical("genre", "g" + i % 4).build());
        }
        Map<UserId, Features> users = new LinkedHashMap<>();
        List<Interaction> all = new ArrayList<>();
        for (int u = 0; u < 40; u++) {
            UserId user = UserId.of("u" + u);
            users.put(user, Features.builder().categorical("group", "g" + u % 4).build());
            Set<Integer> chosen = new HashSet<>();
            int n = 8 + random.nextInt(8);
            long t = 1_000_000L * u;
            while (chosen.size() < n) {
                int item = random.nextInt(10) < 8 ? u % 4 + 4 * random.nextInt(15) : random.nextInt(60);
                if (chosen.add(item)) {
                    all.add(new Interaction(user, ItemId.of("i" + item), t, 1f));
                    t += 1 + random.nextInt(100);
                }
            }
        }
        return new Dataset("leakage", all,
                new FeatureTable<>(FeatureSchema.of(new FieldSpec("group", FeatureType.CATEGORICAL)), users),
                new FeatureTable<>(FeatureSchema.of(new FieldSpec("genre", FeatureType.CATEGORICAL)), items));
    }

    private static void check(String holdoutOrder) {
        check(holdoutOrder, Map.of());
    }

    private static void check(String holdoutOrder, Map<String, String> extra) {
        Dataset full = data(5);
        Map<UserId, List<Interaction>> byUser = new LinkedHashMap<>();
        full.interactions().forEach(i -> byUser.computeIfAbsent(i.user(), u -> new ArrayList<>()).add(i));
        List<Interaction> train = new ArrayList<>();
        Set<String> outer = new HashSet<>();
        for (List<Interaction> list : byUser.values()) {
            for (int k = 0; k < list.size(); k++) {
                if (k >= list.size() - 2) {
                    outer.add(list.get(k).user().value() + "|" + list.get(k).item().value());
                } else {
                    train.add(list.get(k));
                }
            }
        }
        AtomicReference<TwoStageTrainer.Trace> seen = new AtomicReference<>();
        TwoStageTrainer.observer = seen::set;
        Map<String, String> settings = new LinkedHashMap<>(Map.of("ranker", "test-linear", "candidates", "15", "epochs", "1",
                "lambda", "10", "holdoutOrder", holdoutOrder, "negatives", "5", "retrieval.epochs", "1", "retrieval.dim", "8",
                "retrieval.batch", "64"));
        settings.putAll(extra);
        try (Recommender model = ProviderRegistry.models().get("two-stage").train(full.withInteractions(train), settings,
                new TrainingContext(7, 2, r -> Double.NaN, s -> { }))) {
            assertThat(model).isNotNull();
        } finally {
            TwoStageTrainer.observer = null;
        }
        TwoStageTrainer.Trace trace = seen.get();
        assertThat(trace).as("the trainer reported its ranker targets").isNotNull();
        Set<String> trainPairs = new HashSet<>();
        train.forEach(i -> trainPairs.add(i.user().value() + "|" + i.item().value()));
        Set<String> innerPairs = new HashSet<>();
        trace.innerFit().forEach(i -> innerPairs.add(i.user().value() + "|" + i.item().value()));
        assertThat(trace.targets()).as("some users have ranker targets").isNotEmpty();
        int targets = 0;
        for (var e : trace.targets().entrySet()) {
            for (ItemId item : e.getValue()) {
                String pair = e.getKey().value() + "|" + item.value();
                targets++;
                assertThat(outer).as("target %s is no validation or test item", pair).doesNotContain(pair);
                assertThat(trainPairs).as("target %s is a training interaction", pair).contains(pair);
                assertThat(innerPairs).as("target %s was not seen by the sources that built its list", pair)
                        .doesNotContain(pair);
                assertThat(trace.heldOut().get(e.getKey())).as("target %s was held out", pair).contains(item);
            }
        }
        for (var e : trace.lists().entrySet()) {
            for (ItemId item : e.getValue()) {
                String pair = e.getKey().value() + "|" + item.value();
                assertThat(innerPairs).as("list item %s is not an inner-fit item of its user", pair).doesNotContain(pair);
            }
        }
        for (var e : trace.heldOut().entrySet()) {
            for (ItemId item : e.getValue()) {
                assertThat(innerPairs).as("held-out %s|%s is outside the inner fit", e.getKey().value(), item.value())
                        .doesNotContain(e.getKey().value() + "|" + item.value());
            }
        }
        assertThat(innerPairs).as("the inner fit is part of the training set").isSubsetOf(trainPairs);
        assertThat(targets).isPositive();
    }

    @Test
    void rankerTargetsAreInnerHeldOutTrainingItemsOnlyWithTheLatestHeldOut() {
        check("latest");
    }

    @Test
    void rankerTargetsAreInnerHeldOutTrainingItemsOnlyWithARandomHoldout() {
        check("random");
    }

    @Test
    void severalListsPerUserAndMoreChecksKeepTheTargetsInsideTheHeldOutItems() {
        check("random", Map.of("listsPerUser", "3", "checksPerEpoch", "2", "wideFreeze", "1", "deepLrScale", "0.5",
                "embeddingLrScale", "0"));
    }
}
