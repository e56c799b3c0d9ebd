package dev.attentive.attention;

import dev.attentive.api.Attention;
import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.api.spi.AttentionShape;
import dev.attentive.api.spi.ConfigException;
import java.util.Objects;

/**
 * The {@code attention-pooling} attention: one learned query scores every present field vector
 * (scaled dot product, optionally through a key projection, or additive), the weights are the
 * softmax of the scores (plus an optional learned bias per field) over the present fields, and the
 * output is the weighted sum of the field vectors ({@code outputDim == dim}). At initialisation the
 * weights are close to uniform, so it starts near {@code mean} pooling.
 *
 * <p>Parameters (in order): {@code key} {@code [attentionDim, dim]} (dot scoring with
 * {@code keyProjection}) or {@code hidden.weight} {@code [attentionDim, dim]} and
 * {@code hidden.bias} {@code [attentionDim]} (additive scoring); {@code query} {@code [dim]} or
 * {@code [attentionDim]}; {@code field.bias} {@code [fields]} when {@code fieldBias}.
 *
 * <p>The provider is stateless and thread safe; the attentions it makes allow concurrent forward passes.
 */
public final class AttentionPoolingProvider implements AttentionProvider<AttentionPoolingProvider.Config> {
    /** The provider name. */
    public static final String NAME = "attention-pooling";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public AttentionPoolingProvider() {
    }

    /**
     * The settings.
     *
     * @param scoring how the query scores a field vector; default {@link AttentionScoring#DOT}
     * @param keyProjection with dot scoring, score {@code q · (K x)} through a learned
     *     {@code attentionDim x dim} key projection (for a single query this reparameterises the
     *     query, changing only optimisation); must be false with additive scoring; default false
     * @param attentionDim the width of the key projection or of the additive hidden layer, 1 to
     *     4096; default 32
     * @param fieldBias whether each field gets a learned score bias (a content-independent prior on
     *     its importance); default true
     */
    public record Config(AttentionScoring scoring, boolean keyProjection, int attentionDim, boolean fieldBias) {
        /** Validates, reporting every problem at once. */
        public Config {
            var p = new ConfigException.Problems(NAME);
            p.check(scoring != null, "scoring must be one of dot, additive");
            p.check(attentionDim >= 1 && attentionDim <= 4096,
                    "attentionDim must be between 1 and 4096, got " + attentionDim);
            p.check(!(keyProjection && scoring == AttentionScoring.ADDITIVE),
                    "keyProjection=true applies to scoring=dot only (additive scoring always projects); "
                            + "set keyProjection=false or scoring=dot");
            p.throwIfAny();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config(AttentionScoring.DOT, false, 32, true);
    }

    @Override
    public Attention create(Config config, AttentionShape shape, long seed) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(shape, "shape");
        return new QueryPooling(new QueryPooling.Spec(NAME, shape.fieldCount(), shape.dim(), config.scoring(),
                config.keyProjection(), config.attentionDim(), config.fieldBias() ? "field.bias" : null, false), seed);
    }
}
