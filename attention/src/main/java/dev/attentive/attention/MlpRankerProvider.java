package dev.attentive.attention;

import dev.attentive.api.Ranker;
import dev.attentive.api.spi.RankerProvider;
import dev.attentive.api.spi.RankerShape;
import java.util.Objects;

/**
 * The {@code mlp} ranker: the no-attention ablation of {@code target-attention} with the same inputs.
 * The history and the feature values are mean-pooled (so history weights are uniform and the same
 * for every candidate), concatenated with the candidate, its product with the pooled history and
 * the source scores into an MLP head, plus the same wide linear part over the source scores.
 *
 * <p>The model is described in {@code DeepRanker}; the provider is stateless and thread safe.
 */
public final class MlpRankerProvider implements RankerProvider<RankerSettings> {
    /** The provider name. */
    public static final String NAME = "mlp";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public MlpRankerProvider() {
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
        return new DeepRanker(NAME, shape, false, config.dim(), config.hidden(), (float) config.wideInit(),
                (float) config.attentionInit(), seed);
    }
}
