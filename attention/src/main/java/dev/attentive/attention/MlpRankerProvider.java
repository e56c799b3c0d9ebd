package dev.attentive.attention;

import dev.attentive.api.Ranker;
import dev.attentive.api.spi.ConfigException;
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
public final class MlpRankerProvider implements RankerProvider<MlpRankerProvider.Config> {
    /** The provider name. */
    public static final String NAME = "mlp";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public MlpRankerProvider() {
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
        return new DeepRanker(NAME, shape, false, config.dim(), config.hidden(), (float) config.wideInit(), seed);
    }
}
