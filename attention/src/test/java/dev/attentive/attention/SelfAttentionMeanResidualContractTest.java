package dev.attentive.attention;

import java.util.Map;

/**
 * The mean residual through the kit (finite differences included), with the step and tolerance of
 * {@link SelfAttentionContractTest}; {@link TwoBlocks} adds a second block.
 */
class SelfAttentionMeanResidualContractTest extends SelfAttentionContractTest {
    @Override
    protected Map<String, String> settings() {
        return Map.of("meanResidual", "true");
    }

    /** Two blocks (the first evaluated at every position) with the mean residual. */
    static class TwoBlocks extends SelfAttentionContractTest {
        @Override
        protected Map<String, String> settings() {
            return Map.of("meanResidual", "true", "blocks", "2", "ffnDim", "3");
        }
    }
}
