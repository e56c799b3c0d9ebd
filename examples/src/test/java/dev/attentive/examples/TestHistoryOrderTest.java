package dev.attentive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Dataset;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.eval.data.SyntheticData;
import dev.attentive.eval.metrics.EvaluationResult;
import dev.attentive.eval.metrics.Evaluator;
import dev.attentive.eval.split.Split;
import dev.attentive.eval.split.Splits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Evaluator#evaluateAfter} hands the two-tower model its history as recent items; the order it
 * builds must be the model's own (most recent first), or an order-aware history encoder would read a
 * different sequence at test than it was trained on. With nothing known after training, the recent
 * items are exactly the training history, so a {@code self-attention} model must rank as it does from
 * its stored history. A reversed or shuffled order changes the encoder's output and the rankings.
 */
class TestHistoryOrderTest {
    @Test
    void recentItemsFromTheEvaluatorReproduceTheModelsOwnHistory() {
        Dataset data = new SyntheticData(new SyntheticData.Config(150, 120, 4, 20, 1, 3, 0.3)).generate(11);
        Split split = Splits.leaveOneOut(data);
        Map<String, String> settings = Map.of("historyAttention", "self-attention", "historyMode", "causal",
                "epochs", "3", "historyLength", "10");
        try (Recommender model = ProviderRegistry.models().get("two-tower")
                .train(split.train(), settings, new TrainingContext(3, 2, r -> Double.NaN, s -> { }))) {
            Evaluator evaluator = new Evaluator(split.train(), new int[] {10}, 2);
            Dataset nothing = new Dataset("none", List.of(), split.train().users(), split.train().items());
            EvaluationResult stored = evaluator.evaluate(model, split.valid(), null);
            EvaluationResult given = evaluator.evaluateAfter(model, split.valid(), nothing);
            assertThat(stored.get("ndcg@10")).isPositive();
            assertThat(given.values("ndcg@10")).containsExactly(stored.values("ndcg@10"));
            // The known part does change what the model sees: the validation item as the latest.
            EvaluationResult after = evaluator.evaluateAfter(model, split.test(), split.valid());
            EvaluationResult before = evaluator.evaluate(model, split.test(), split.valid());
            assertThat(after.values("ndcg@10")).isNotEqualTo(before.values("ndcg@10"));
        }
    }
}
