package dev.attentive.eval.baselines;

import dev.attentive.api.spi.ModelProvider;
import dev.attentive.testkit.ModelProviderContractTest;

/** {@code random} is held to the model-provider contract. */
class RandomModelProviderContractTest extends ModelProviderContractTest {

    @Override
    protected ModelProvider<?> provider() {
        return new RandomModelProvider();
    }

    // Known violation, reported as a skipped check: the baselines ignore request features they do not
    // know, where Recommender.recommend promises an IllegalArgumentException.
    @Override
    protected boolean knownToIgnoreUnknownFeatures() {
        return true;
    }
}
