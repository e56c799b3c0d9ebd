package dev.attentive.eval.baselines;

import dev.attentive.api.spi.ModelProvider;
import dev.attentive.testkit.ModelProviderContractTest;

/** {@code ease} is held to the model-provider contract. */
class EaseModelProviderContractTest extends ModelProviderContractTest {

    @Override
    protected ModelProvider<?> provider() {
        return new EaseModelProvider();
    }
}
