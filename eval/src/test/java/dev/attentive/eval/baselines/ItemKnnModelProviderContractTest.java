package dev.attentive.eval.baselines;

import dev.attentive.api.spi.ModelProvider;
import dev.attentive.testkit.ModelProviderContractTest;

/** {@code itemknn} is held to the model-provider contract. */
class ItemKnnModelProviderContractTest extends ModelProviderContractTest {

    @Override
    protected ModelProvider<?> provider() {
        return new ItemKnnModelProvider();
    }
}
