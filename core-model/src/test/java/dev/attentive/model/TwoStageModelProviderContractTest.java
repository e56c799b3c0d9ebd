package dev.attentive.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attentive.api.Dataset;
import dev.attentive.api.Interaction;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.testkit.ModelProviderContractTest;
import dev.attentive.api.spi.TrainingContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code two-stage} passes the model-provider contract, ranking with the test-only
 * {@code test-linear} ranker (the attention rankers run it in the examples module); small sources.
 * A saved and loaded model answers exactly as the trained one ({@code TwoStagePersistenceTest} has
 * the details of the format).
 */
class TwoStageModelProviderContractTest extends ModelProviderContractTest {

    @Override
    protected ModelProvider<?> provider() {
        return ProviderRegistry.models().get("two-stage");
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("ranker", "test-linear", "candidates", "10", "epochs", "2", "lambda", "10",
                "retrieval.epochs", "2", "retrieval.dim", "8", "retrieval.userWidths", "16",
                "retrieval.itemWidths", "16", "retrieval.batch", "64", "retrieval.historyLength", "5");
    }

    @Test
    void aSavedAndLoadedModelRecommendsExactlyAsTheTrainedOne(@TempDir Path dir) throws IOException {
        Dataset data = dataset();
        try (Recommender model = provider().train(data, settings(), TrainingContext.of(seed()))) {
            TwoTowerModels.save(model, dir.resolve("m"));
            try (Recommender loaded = TwoTowerModels.load(dir.resolve("m"))) {
                for (UserId user : new LinkedHashSet<>(data.interactions().stream().map(Interaction::user).toList())) {
                    for (boolean explain : new boolean[] {false, true}) {
                        RecommendationRequest request = RecommendationRequest.forUser(user).k(10).explain(explain).build();
                        assertThat(loaded.recommend(request)).as("%s", request).isEqualTo(model.recommend(request));
                    }
                }
                assertThat(loaded.similarItems(ItemId.of("i3"), 10, ItemFilter.all()))
                        .isEqualTo(model.similarItems(ItemId.of("i3"), 10, ItemFilter.all()));
            }
        }
    }
}
