package dev.attentive.attention;

import dev.attentive.api.spi.RankerProvider;
import dev.attentive.testkit.RankerContractTest;
import java.util.Map;

class MlpRankerContractTest extends RankerContractTest {
    @Override
    protected RankerProvider<?> provider() {
        return new MlpRankerProvider();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("dim", "4", "hidden", "5");
    }
}
