package dev.attentive.attention;

import dev.attentive.api.Attention;
import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.api.spi.AttentionShape;
import dev.attentive.api.spi.ConfigException;
import java.util.Objects;

/**
 * The {@code history-attention} attention: target-free attention over the user's recent items. The
 * input fields are history positions, most recent first (such as {@code recent-0 .. recent-19}),
 * each holding an item embedding; missing positions (a short history) are masked. A learned query
 * scores each item vector plus a learned positional embedding of its position, a learned recency
 * bias per position is added to the score, and the softmax over the present positions weighs the
 * items. The output is the weighted sum of the item vectors themselves ({@code outputDim == dim}),
 * so it stays in the item-embedding space; the positional embedding steers the weights only.
 * Because no candidate item enters, the user tower stays independent of the item tower (two-tower
 * retrieval). Use it as the history pooler; its output is one field vector for a field-level
 * attention (for example {@code attention-pooling} or {@code field-self-attention}).
 *
 * <p>Parameters (in order): {@code position} {@code [fields, dim]} when {@code positionEmbedding};
 * {@code key} or {@code hidden.weight}/{@code hidden.bias} as in {@link AttentionPoolingProvider};
 * {@code query}; {@code recency.bias} {@code [fields]} when {@code recencyBias}.
 *
 * <p>The provider is stateless and thread safe; the attentions it makes allow concurrent forward passes.
 */
public final class HistoryAttentionProvider implements AttentionProvider<HistoryAttentionProvider.Config> {
    /** The provider name. */
    public static final String NAME = "history-attention";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public HistoryAttentionProvider() {
    }

    /**
     * The settings.
     *
     * @param scoring how the query scores an item; default {@link AttentionScoring#DOT}
     * @param keyProjection with dot scoring, score through a learned key projection; must be false
     *     with additive scoring; default false
     * @param attentionDim the width of the key projection or additive hidden layer, 1 to 4096; default 32
     * @param positionEmbedding whether a learned embedding per position is added to each item before
     *     scoring; default true
     * @param recencyBias whether each position gets a learned score bias (a learned recency
     *     decay); default true
     */
    public record Config(AttentionScoring scoring, boolean keyProjection, int attentionDim,
            boolean positionEmbedding, boolean recencyBias) {
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
        return new Config(AttentionScoring.DOT, false, 32, true, true);
    }

    @Override
    public Attention create(Config config, AttentionShape shape, long seed) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(shape, "shape");
        return new QueryPooling(new QueryPooling.Spec(NAME, shape.fieldCount(), shape.dim(), config.scoring(),
                config.keyProjection(), config.attentionDim(), config.recencyBias() ? "recency.bias" : null,
                config.positionEmbedding()), seed);
    }
}
