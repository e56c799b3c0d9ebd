package dev.attentive.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.attentive.api.Dataset;
import dev.attentive.api.FeatureTable;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.eval.split.Split;
import dev.attentive.eval.split.Splits;
import dev.attentive.testkit.Seeds;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    /** A fixed ranking for every user, ignoring the request: a model that leaks training items. */
    private record FixedRanking(List<String> items) implements Recommender {
        @Override
        public List<Recommendation> recommend(RecommendationRequest request) {
            return items.stream().limit(request.k()).map(i -> new Recommendation(ItemId.of(i), -items.indexOf(i))).toList();
        }

        @Override
        public List<Recommendation> similarItems(ItemId item, int k, ItemFilter filter) {
            return List.of();
        }
    }

    private static Dataset of(String... pairs) {
        List<Interaction> list = new java.util.ArrayList<>();
        for (String p : pairs) {
            String[] f = p.split("/");
            list.add(Interaction.of(f[0], f[1]));
        }
        return new Dataset("t", list, FeatureTable.empty(), FeatureTable.empty());
    }

    @Test
    void handComputedEvaluation() {
        Dataset train = of("u/a", "v/b", "u/x", "v/y");
        Dataset test = of("u/b", "u/c", "v/a");
        Evaluator e = new Evaluator(train, new int[] {1, 2}, 1);
        Recommender model = new FixedRanking(List.of("b", "c", "a"));
        assertThatThrownBy(() -> e.evaluate(model, test, null)).hasMessageContaining("recommended training item").hasMessageContaining("although excludeSeen was set");
        EvaluationResult r = e.evaluate(new FixedRanking(List.of("c", "b")), of("u/b", "u/c"), null);
        assertThat(r.get("recall@1")).isCloseTo(0.5, within(1e-12));
        assertThat(r.get("recall@2")).isCloseTo(1.0, within(1e-12));
        // c is not in the training catalogue {a, b, x, y}, so only b counts towards coverage.
        assertThat(r.get("coverage@1")).isZero();
        assertThat(r.get("coverage@2")).isCloseTo(0.25, within(1e-12));
        assertThat(r.users()).extracting(Object::toString).containsExactly("u");
    }

    @Test
    void rejectsKLargerThanTheCatalogueAndEmptyTargets() {
        Dataset train = of("u/a", "v/b");
        assertThatThrownBy(() -> new Evaluator(train, new int[] {3}, 1))
                .hasMessageContaining("K = 3 is outside [1, 2], the catalogue size of 't'");
        assertThatThrownBy(() -> new Evaluator(train, new int[] {1}, 1).evaluate(new FixedRanking(List.of()), of(), null))
                .hasMessageContaining("is empty: no user has a target interaction");
    }

    @Test
    void maskingNeverLetsTrainingOrValidationItemsThrough() {
        var registry = ProviderRegistry.models();
        Seeds.forEach(3, 21, (random, seed) -> {
            Dataset d = new SyntheticData(new SyntheticData.Config(120, 90, 4, 15, 1, 3, 0.3)).generate(seed);
            Split s = Splits.ratio(d, new double[] {0.8, 0.1, 0.1}, seed);
            Evaluator e = new Evaluator(s.train(), new int[] {5, 10, 20}, 2);
            for (String name : List.of("random", "pop", "itemknn", "ease")) {
                // The evaluator throws if a model returns a training or masked item; it must not here.
                EvaluationResult r = e.evaluate(registry.get(name).train(s.train(), Map.of(), TrainingContext.of(seed)),
                        s.test(), s.valid());
                assertThat(r.get("recall@5")).isLessThanOrEqualTo(r.get("recall@10"));
                assertThat(r.get("recall@10")).isLessThanOrEqualTo(r.get("recall@20"));
                r.summary().forEach((k, v) -> assertThat(v).as(k).isBetween(0.0, k.startsWith("avgpop") ? 1e9 : 1.0));
            }
        });
    }

    /** Records each request's recent items and recommends nothing. */
    private record RecordingModel(Map<String, List<String>> recent) implements Recommender {
        @Override
        public List<Recommendation> recommend(RecommendationRequest request) {
            recent.put(request.userId().value(), request.recentItems().stream().map(ItemId::value).toList());
            return List.of();
        }

        @Override
        public List<Recommendation> similarItems(ItemId item, int k, ItemFilter filter) {
            return List.of();
        }
    }

    /** {@code user/item/time} triples. */
    private static Dataset timed(String... triples) {
        List<Interaction> list = new java.util.ArrayList<>();
        for (String t : triples) {
            String[] f = t.split("/");
            list.add(new Interaction(dev.attentive.api.UserId.of(f[0]), ItemId.of(f[1]), Long.parseLong(f[2]), 1f));
        }
        return new Dataset("t", list, FeatureTable.empty(), FeatureTable.empty());
    }

    @Test
    void evaluateAfterGivesTrainingAndKnownItemsMostRecentFirst() {
        // Training out of time order, with a tie (c and x at 2: input order, so x is the later one);
        // the known item d is the latest and ties with nothing in training.
        Dataset train = timed("u/a/1", "u/b/3", "u/c/2", "u/x/2", "v/a/1", "v/e/2");
        Dataset known = timed("u/d/5", "v/b/3");
        Dataset target = timed("u/e/6", "v/c/4");
        Evaluator e = new Evaluator(train, new int[] {1}, 2);
        Map<String, List<String>> seen = new java.util.concurrent.ConcurrentHashMap<>();
        e.evaluateAfter(new RecordingModel(seen), target, known);
        assertThat(seen).containsOnlyKeys("u", "v");
        assertThat(seen.get("u")).containsExactly("d", "b", "x", "c", "a");
        assertThat(seen.get("v")).containsExactly("b", "e", "a");
        // Plain evaluation tells the model nothing beyond the user id.
        seen.clear();
        e.evaluate(new RecordingModel(seen), target, known);
        assertThat(seen.get("u")).isEmpty();
        assertThat(seen.get("v")).isEmpty();
        // A known item is still masked: returning it is an error of the model.
        Recommender leaky = new FixedRanking(List.of("d", "e"));
        assertThatThrownBy(() -> e.evaluateAfter(leaky, timed("u/e/6"), known))
                .hasMessageContaining("recommended excluded item d to user u");
    }

    @Test
    void easeScoresFromTheKnownItemsWhenTheyAreGivenAsHistory() {
        // Items come in pairs (p0, q0), (p1, q1), ...: every training user who has one has the other.
        // User t has p3 only after training (in the known part) and q3 as its target; its training
        // items are from other pairs' halves, so without p3 nothing points EASE at q3.
        List<String> rows = new java.util.ArrayList<>();
        for (int user = 0; user < 40; user++) {
            int pair = user % 8;
            rows.add("w" + user + "/p" + pair + "/1");
            rows.add("w" + user + "/q" + pair + "/2");
            rows.add("w" + user + "/p" + ((pair + 1) % 8) + "/3");
            rows.add("w" + user + "/q" + ((pair + 1) % 8) + "/4");
        }
        rows.add("t/p0/1");
        rows.add("t/p5/2");
        Dataset train = timed(rows.toArray(String[]::new));
        Dataset known = timed("t/p3/3");
        Dataset target = timed("t/q3/4");
        Recommender ease = ProviderRegistry.models().get("ease").train(train, Map.of("lambda", "1"), TrainingContext.of(1));
        Evaluator e = new Evaluator(train, new int[] {1}, 1);
        assertThat(e.evaluate(ease, target, known).get("hit@1")).isZero();
        assertThat(e.evaluateAfter(ease, target, known).get("hit@1")).isEqualTo(1.0);
    }
}
