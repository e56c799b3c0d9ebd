package dev.attentive.eval.baselines;

import dev.attentive.api.spi.ModelProvider;
import dev.attentive.testkit.ModelProviderContractTest;

/** {@code random} is held to the model-provider contract. */
class RandomModelProviderContractTest extends ModelProviderContractTest {

    @Override
    protected ModelProvider<?> provider() {
        return new RandomModelProvider();
    }
}
