package dev.attentive.attention;

import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.testkit.AttentionContractTest;
import java.util.Map;

/** The mean residual, with one and (below) two blocks, through the kit, finite differences included. */
class SelfAttentionMeanResidualContractTest extends AttentionContractTest {
    @Override
    protected AttentionProvider<?> provider() {
        return new SelfAttentionProvider();
    }

    /** As in {@link SelfAttentionContractTest}. */
    @Override
    protected double gradientEps() {
        return 1e-2;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("meanResidual", "true");
    }

    /** As in {@link SelfAttentionTwoBlockContractTest} (a float forward pass). */
    @Override
    protected double gradientTolerance() {
        return 1e-2;
    }

    /** Two blocks with the mean residual. */
    static class TwoBlocks extends SelfAttentionMeanResidualContractTest {
        @Override
        protected Map<String, String> settings() {
            return Map.of("meanResidual", "true", "blocks", "2", "ffnDim", "3");
        }
    }
}
