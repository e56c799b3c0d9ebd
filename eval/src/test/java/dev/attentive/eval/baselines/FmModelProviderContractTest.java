package dev.attentive.eval.baselines;

import dev.attentive.api.spi.ModelProvider;
import dev.attentive.testkit.ModelProviderContractTest;
import java.util.Map;

/** {@code fm} is held to the model-provider contract (a small, short training). */
class FmModelProviderContractTest extends ModelProviderContractTest {

    @Override
    protected ModelProvider<?> provider() {
        return new FmModelProvider();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("dim", "4", "epochs", "2");
    }
}
