package dev.attentive.attention;

import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.testkit.AttentionContractTest;
import java.util.Map;

class AttentionPoolingAdditiveContractTest extends AttentionContractTest {
    @Override
    protected AttentionProvider<?> provider() {
        return new AttentionPoolingProvider();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("scoring", "additive", "attentionDim", "4");
    }
}
