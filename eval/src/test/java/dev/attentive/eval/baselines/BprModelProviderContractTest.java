package dev.attentive.eval.baselines;

import dev.attentive.api.spi.ModelProvider;
import dev.attentive.testkit.ModelProviderContractTest;
import java.util.Map;

/** {@code bpr} is held to the model-provider contract (a small, short training). */
class BprModelProviderContractTest extends ModelProviderContractTest {

    @Override
    protected ModelProvider<?> provider() {
        return new BprModelProvider();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("dim", "8", "epochs", "20");
    }
}
