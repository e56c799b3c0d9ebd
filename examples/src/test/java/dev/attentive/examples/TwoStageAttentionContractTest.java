package dev.attentive.examples;

import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.testkit.ModelProviderContractTest;
import java.util.Map;

/**
 * {@code two-stage} with the {@code target-attention} ranker of {@code attentive-attention} passes
 * the model-provider contract (core-model's own test ranks with a test-only ranker, since
 * core-model cannot see the attention module); a small, fast configuration.
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
}
