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
     * numeric derivative at 5e-3 (the whole allowance at the kit's floor of 1e-2). Even at 1e-2 the
     * margin is thin: with the kit's seeds the worst relative error measured 9.6e-4 against the
     * allowed 1e-3, nearly all of it the outputs' rounding to float (see FieldSelfAttention on why
     * its forward pass is in double). The analytic gradients
     * are checked much more tightly against a double reference in FieldSelfAttentionGradientTest.
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
