package dev.attentive.attention;

import dev.attentive.api.Ranker;
import dev.attentive.api.spi.ConfigException;
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
public final class TargetAttentionRankerProvider implements RankerProvider<TargetAttentionRankerProvider.Config> {
    /** The provider name. */
    public static final String NAME = "target-attention";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public TargetAttentionRankerProvider() {
    }

    /**
     * The settings.
     *
     * @param dim the dimension of the item and feature-value embeddings, 1 to 1024 (default 32)
     * @param hidden the width of the MLP head's hidden layer, 1 to 4096 (default 64)
     * @param wideInit the initial weight of every source score in the wide part (default 1)
     */
    public record Config(int dim, int hidden, double wideInit) {
        /** Validates, reporting every problem at once. */
        public Config {
            var p = new ConfigException.Problems(NAME);
            p.check(dim >= 1 && dim <= 1024, "dim must be between 1 and 1024, got " + dim);
            p.check(hidden >= 1 && hidden <= 4096, "hidden must be between 1 and 4096, got " + hidden);
            p.check(Double.isFinite(wideInit), "wideInit must be a finite number, got " + wideInit);
            p.throwIfAny();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config(32, 64, 1);
    }

    @Override
    public Ranker create(Config config, RankerShape shape, long seed) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(shape, "shape");
        return new DeepRanker(NAME, shape, true, config.dim(), config.hidden(), (float) config.wideInit(), seed);
    }
}
