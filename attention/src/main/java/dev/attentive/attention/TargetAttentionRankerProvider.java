package dev.attentive.attention;

import dev.attentive.api.Ranker;
import dev.attentive.api.spi.RankerProvider;
import dev.attentive.api.spi.RankerShape;
import java.util.Objects;

/**
 * The {@code target-attention} ranker (DIN-style): per candidate, the user's history is pooled by
 * scaled dot-product attention keyed by the candidate's embedding, and the user and item feature
 * values by a second attention keyed the same way; an MLP head over the pooled history, the
 * candidate, their product, the pooled fields and the source scores, plus a wide linear part over
 * the source scores. Explanations: the per-candidate history weights differ from candidate to
 * candidate.
 *
 * <p>The model is described in {@code DeepRanker}; the provider is stateless and thread safe.
 */
public final class TargetAttentionRankerProvider implements RankerProvider<RankerSettings> {
    /** The provider name. */
    public static final String NAME = "target-attention";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public TargetAttentionRankerProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RankerSettings defaultConfig() {
        return RankerSettings.DEFAULTS;
    }

    @Override
    public Ranker create(RankerSettings config, RankerShape shape, long seed) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(shape, "shape");
        return new DeepRanker(NAME, shape, true, config.dim(), config.hidden(), (float) config.wideInit(),
                (float) config.attentionInit(), seed);
    }
}
