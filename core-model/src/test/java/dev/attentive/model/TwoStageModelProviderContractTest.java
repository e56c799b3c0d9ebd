package dev.attentive.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.testkit.ModelProviderContractTest;
import dev.attentive.api.spi.TrainingContext;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code two-stage} passes the model-provider contract, ranking with the test-only
 * {@code test-linear} ranker (the attention rankers run it in the examples module); small sources.
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
    void savingATwoStageModelSaysItIsNotSupportedYet(@TempDir Path dir) {
        try (Recommender model = provider().train(dataset(), settings(), TrainingContext.of(seed()))) {
            assertThatThrownBy(() -> TwoTowerModels.save(model, dir.resolve("m")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("A two-stage model cannot be saved yet (its ranker and item-to-item source have no "
                            + "saved format): train it at start-up, or save a two-tower model instead");
        }
    }
}
