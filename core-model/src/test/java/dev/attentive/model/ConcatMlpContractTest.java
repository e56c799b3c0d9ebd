package dev.attentive.model;

import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.testkit.AttentionContractTest;
import java.util.Map;

class ConcatMlpContractTest extends AttentionContractTest {
    @Override
    protected AttentionProvider<?> provider() {
        return new ConcatMlpProvider();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of();
    }
}
