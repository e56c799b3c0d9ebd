package dev.attentive.model;

import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.testkit.AttentionContractTest;

class MeanAttentionContractTest extends AttentionContractTest {
    @Override
    protected AttentionProvider<?> provider() {
        return new MeanAttentionProvider();
    }
}
