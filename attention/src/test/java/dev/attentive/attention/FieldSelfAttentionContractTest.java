package dev.attentive.attention;

import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.testkit.AttentionContractTest;
import java.util.Map;

class FieldSelfAttentionContractTest extends AttentionContractTest {
    @Override
    protected AttentionProvider<?> provider() {
        return new FieldSelfAttentionProvider();
    }

    /**
     * A wider finite-difference step than the kit's 5e-3: the layer norm makes the outputs O(1), and
     * their float32 rounding alone puts about 1e-7 of noise on the probe loss, i.e. 1e-5 on a
     * numeric derivative at 5e-3 (the whole allowance at the kit's floor of 1e-2). The analytic
     * gradients are also checked with Richardson extrapolation in FieldSelfAttentionGradientTest.
     */
    @Override
    protected double gradientEps() {
        return 1e-2;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of();
    }
}
