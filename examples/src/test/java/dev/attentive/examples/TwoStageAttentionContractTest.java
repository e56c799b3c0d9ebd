package dev.attentive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Dataset;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.api.spi.TrainingContext;
import dev.attentive.model.TwoTowerModels;
import dev.attentive.testkit.ModelProviderContractTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code two-stage} with the {@code target-attention} ranker of {@code attentive-attention} passes
 * the model-provider contract (core-model's own test ranks with a test-only ranker, since
 * core-model cannot see the attention module); a small, fast configuration. Saved and loaded, the
 * pipeline with either attention ranker answers exactly as the trained one.
 */
class TwoStageAttentionContractTest extends ModelProviderContractTest {

    @Override
    protected ModelProvider<?> provider() {
        return ProviderRegistry.models().get("two-stage");
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("ranker", "target-attention", "ranker.dim", "8", "candidates", "10",
                "epochs", "2", "lambda", "10", "retrieval.epochs", "2", "retrieval.dim", "8",
                "retrieval.userWidths", "16", "retrieval.itemWidths", "16", "retrieval.batch", "64");
    }

    private void assertRoundTrip(Map<String, String> settings, Path dir) throws IOException {
        Dataset data = dataset();
        try (Recommender model = provider().train(data, settings, TrainingContext.of(seed()))) {
            TwoTowerModels.save(model, dir);
            try (Recommender loaded = TwoTowerModels.load(dir)) {
                ItemFilter genre = ItemFilter.equalTo("genre", "g1");
                for (UserId user : new LinkedHashSet<>(data.interactions().stream().map(Interaction::user).toList())) {
                    Set<ItemId> excluded = new LinkedHashSet<>();
                    model.recommend(RecommendationRequest.forUser(user).k(2).build()).forEach(r -> excluded.add(r.item()));
                    for (RecommendationRequest request : List.of(
                            RecommendationRequest.forUser(user).k(10).build(),
                            RecommendationRequest.forUser(user).k(10).explain(true).build(),
                            RecommendationRequest.forUser(user).k(10).filter(genre).exclude(excluded).explain(true).build())) {
                        List<Recommendation> expected = model.recommend(request);
                        assertThat(loaded.recommend(request)).as("%s", request).isEqualTo(expected);
                    }
                }
                for (String item : List.of("i0", "i7", "i13", "cold1")) {
                    assertThat(loaded.similarItems(ItemId.of(item), 10, ItemFilter.all()))
                            .isEqualTo(model.similarItems(ItemId.of(item), 10, ItemFilter.all()));
                }
            }
        }
    }

    @Test
    void aSavedAndLoadedTargetAttentionPipelineAnswersExactlyAsTheTrainedOne(@TempDir Path dir) throws IOException {
        assertRoundTrip(settings(), dir.resolve("model"));
    }

    @Test
    void aSavedAndLoadedMlpPipelineAnswersExactlyAsTheTrainedOne(@TempDir Path dir) throws IOException {
        Map<String, String> mlp = new java.util.HashMap<>(settings());
        mlp.put("ranker", "mlp");
        mlp.put("ranker.hidden", "12");
        assertRoundTrip(mlp, dir.resolve("model"));
    }
}
