package dev.attentive.model;

import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.ProviderRegistry;
import dev.attentive.testkit.ModelProviderContractTest;
import java.util.Map;

/** {@code two-tower} passes the model-provider contract; a small fast model (2 epochs, dim 8). */
class TwoTowerModelProviderContractTest extends ModelProviderContractTest {

    @Override
    protected ModelProvider<?> provider() {
        // By name, as every caller does; this test does not depend on the provider's package.
        return ProviderRegistry.models().get("two-tower");
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("epochs", "2", "dim", "8", "userWidths", "16", "itemWidths", "16", "batch", "64",
                "historyLength", "5");
    }
}
