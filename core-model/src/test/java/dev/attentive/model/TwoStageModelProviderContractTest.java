package dev.attentive.model;

import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.testkit.ModelProviderContractTest;
import java.util.Map;

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
}
