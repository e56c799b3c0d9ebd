package dev.attentive.attention;

import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.testkit.AttentionContractTest;
import java.util.Map;

class HistoryAttentionAdditiveContractTest extends AttentionContractTest {
    @Override
    protected AttentionProvider<?> provider() {
        return new HistoryAttentionProvider();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("scoring", "additive", "attentionDim", "3");
    }
}
