package dev.attentive.eval.baselines;

import dev.attentive.api.spi.ModelProvider;
import dev.attentive.testkit.ModelProviderContractTest;

/** {@code pop} is held to the model-provider contract. */
class PopModelProviderContractTest extends ModelProviderContractTest {

    @Override
    protected ModelProvider<?> provider() {
        return new PopModelProvider();
    }
}
