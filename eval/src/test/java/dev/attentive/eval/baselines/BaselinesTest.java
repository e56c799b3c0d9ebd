package dev.attentive.eval.baselines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Dataset;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.eval.metrics.Evaluator;
import dev.attentive.eval.split.Split;
import dev.attentive.eval.split.Splits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BaselinesTest {
    private static Split split;
    private static Evaluator evaluator;
    private static final ProviderRegistry<ModelProvider<?>> REGISTRY = ProviderRegistry.models();

    @BeforeAll
    static void data() {
        Dataset d = new SyntheticData(new SyntheticData.Config(400, 200, 6, 25, 0.8, 3, 0.3)).generate(5);
        split = Splits.ratio(d, new double[] {0.8, 0.1, 0.1}, 2020);
        evaluator = new Evaluator(split.train(), new int[] {10}, 2);
    }

    private static double testNdcg(String name, Map<String, String> settings) {
        Evaluator valid = evaluator;
        TrainingContext context = new TrainingContext(1, 2, r -> valid.evaluate(r, split.valid(), null).get("ndcg@10"), s -> { });
        try (Recommender r = REGISTRY.get(name).train(split.train(), settings, context)) {
            return evaluator.evaluate(r, split.test(), split.valid()).get("ndcg@10");
        }
    }

    @Test
    void everyBaselineIsRegistered() {
        assertThat(REGISTRY.names()).contains("random", "pop", "itemknn", "ease", "bpr", "fm");
    }

    @Test
    void learnedModelsBeatPopAndPopBeatsRandom() {
        double random = testNdcg("random", Map.of());
        double pop = testNdcg("pop", Map.of());
        assertThat(pop).isGreaterThan(random + 0.02);
        for (String model : List.of("itemknn", "ease", "bpr")) {
            assertThat(testNdcg(model, Map.of("ease".equals(model) ? "lambda" : "bpr".equals(model) ? "epochs" : "neighbours",
                    "ease".equals(model) ? "50" : "bpr".equals(model) ? "30" : "50"))).as(model).isGreaterThan(pop * 1.2);
        }
    }

    @Test
    void masksSeenAndExcludedItemsAndHonoursFilters() {
        Recommender ease = REGISTRY.get("ease").train(split.train(), Map.of(), TrainingContext.of(1));
        var user = split.train().interactions().get(0).user();
        Set<ItemId> seen = new java.util.HashSet<>();
        split.train().interactions().stream().filter(i -> i.user().equals(user)).forEach(i -> seen.add(i.item()));
        ItemId excluded = ItemId.of("i0");
        List<Recommendation> recs = ease.recommend(RecommendationRequest.forUser(user).k(50).exclude(Set.of(excluded)).build());
        assertThat(recs).hasSize(50).extracting(Recommendation::item).doesNotContainAnyElementsOf(seen).doesNotContain(excluded);
        List<Recommendation> genre0 = ease.recommend(RecommendationRequest.forUser(user).k(5)
                .filter(ItemFilter.equalTo("genre", "g0")).build());
        assertThat(genre0).allSatisfy(r -> assertThat(split.train().items().get(r.item()).get("genre"))
                .contains(dev.attentive.api.FeatureValue.of("g0")));
        assertThat(ease.similarItems(ItemId.of("i1"), 5, ItemFilter.all())).extracting(Recommendation::item)
                .doesNotContain(ItemId.of("i1")).hasSize(5);
    }

    @Test
    void badSettingsListEveryProblem() {
        assertThatThrownBy(() -> REGISTRY.get("bpr").configure(Map.of("dim", "0", "reg", "-1", "color", "red")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown setting 'color' (valid: dim, learningRate");
        assertThatThrownBy(() -> REGISTRY.get("bpr").configure(Map.of("dim", "0", "reg", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dim must be at least 1, got 0")
                .hasMessageContaining("reg must be at least 0, got -1.0");
    }

    @Test
    void bprIsDeterministicPerSeed() {
        Map<String, String> s = Map.of("epochs", "3");
        Recommender a = REGISTRY.get("bpr").train(split.train(), s, TrainingContext.of(9));
        Recommender b = REGISTRY.get("bpr").train(split.train(), s, TrainingContext.of(9));
        var user = split.train().interactions().get(0).user();
        assertThat(a.recommend(RecommendationRequest.forUser(user).k(20).build()))
                .isEqualTo(b.recommend(RecommendationRequest.forUser(user).k(20).build()));
    }

    @Test
    void serviceFileAndModuleInfoDeclareTheSameProviders() throws IOException {
        Path base = Path.of("src/main");
        List<String> services = Files.readAllLines(base.resolve("resources/META-INF/services/dev.attentive.api.spi.ModelProvider"))
                .stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).sorted().toList();
        String moduleInfo = Files.readString(base.resolve("java/module-info.java"));
        Matcher m = Pattern.compile("provides\\s+dev\\.attentive\\.api\\.spi\\.ModelProvider\\s+with\\s+([^;]+);").matcher(moduleInfo);
        assertThat(m.find()).isTrue();
        List<String> declared = java.util.Arrays.stream(m.group(1).split(",")).map(String::trim).sorted().toList();
        assertThat(declared).isEqualTo(services);
        Map<String, Integer> names = new HashMap<>();
        REGISTRY.providers().forEach(p -> names.merge(p.getClass().getName(), 1, Integer::sum));
        assertThat(names.keySet()).containsAll(services);
    }
}
