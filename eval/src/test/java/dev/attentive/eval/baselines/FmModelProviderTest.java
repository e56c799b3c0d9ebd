package dev.attentive.eval.baselines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.attentive.api.Dataset;
import dev.attentive.api.Features;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.eval.metrics.Evaluator;
import dev.attentive.eval.split.Split;
import dev.attentive.eval.split.Splits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

class FmModelProviderTest {
    private static Split split;

    @BeforeAll
    static void data() {
        Dataset d = new SyntheticData(new SyntheticData.Config(300, 150, 6, 20, 0.8, 3, 0.3)).generate(11);
        split = Splits.ratio(d, new double[] {0.8, 0.1, 0.1}, 2020);
    }

    @Test
    void closedFormScoreEqualsTribuosPrediction() {
        FmModelProvider provider = new FmModelProvider();
        var fitted = provider.fit(split.train(), provider.configure(Map.of("epochs", "2", "dim", "4")), 3);
        InteractionMatrix m = fitted.recommender().matrix;
        for (int u = 0; u < m.users(); u += 37) {
            for (int i = 0; i < m.itemCount(); i += 13) {
                Prediction<Label> p = fitted.model().predict(
                        FmModelProvider.example(new Label("1"), fitted.userRows()[u], fitted.itemRows()[i]));
                double expected = Math.log(p.getOutputScores().get("1").getScore())
                        - Math.log(p.getOutputScores().get("0").getScore());
                assertThat(fitted.recommender().logit(u, i)).as("user %d item %d", u, i).isCloseTo(expected, within(1e-3));
            }
        }
    }

    @Test
    void beatsPopOnPlantedDataAndIsDeterministic() {
        Evaluator evaluator = new Evaluator(split.train(), new int[] {10}, 2);
        var registry = ProviderRegistry.models();
        double pop;
        try (Recommender r = registry.get("pop").train(split.train(), Map.of(), TrainingContext.of(1))) {
            pop = evaluator.evaluate(r, split.test(), split.valid()).get("ndcg@10");
        }
        Recommender fm = registry.get("fm").train(split.train(), Map.of(), TrainingContext.of(1));
        double ndcg = evaluator.evaluate(fm, split.test(), split.valid()).get("ndcg@10");
        assertThat(ndcg).isGreaterThan(pop * 1.1);
        Recommender again = registry.get("fm").train(split.train(), Map.of(), TrainingContext.of(1));
        var user = split.train().interactions().get(0).user();
        assertThat(fm.recommend(RecommendationRequest.forUser(user).k(20).build()))
                .isEqualTo(again.recommend(RecommendationRequest.forUser(user).k(20).build()));
    }

    @Test
    void servesAnUnknownUserFromFeatures() {
        Recommender fm = new FmModelProvider().train(split.train(), Map.of("epochs", "2"), TrainingContext.of(1));
        Features region0 = Features.builder().categorical("region", "r0").numeric("age", 30).build();
        Features region1 = Features.builder().categorical("region", "r1").numeric("age", 30).build();
        List<Recommendation> a = fm.recommend(RecommendationRequest.builder().features(region0).k(10).build());
        List<Recommendation> b = fm.recommend(RecommendationRequest.builder().features(region1).k(10).build());
        assertThat(a).hasSize(10);
        assertThat(a).isNotEqualTo(b);
    }
}
