package dev.attentive.attention;

import dev.attentive.api.spi.ConfigException;

/**
 * The settings of the attention module's rankers, {@code target-attention} and its no-attention
 * ablation {@code mlp}: the two share them so that the ablation differs only in how it pools.
 *
 * @param dim the dimension of the item and feature-value embeddings, 1 to 1024 (default 32)
 * @param hidden the width of the MLP head's hidden layer, 1 to 4096 (default 64)
 * @param wideInit the initial weight of every source score in the wide part (default 1)
 * @param attentionInit how {@code target-attention}'s query and key projections start: 0 for random
 *     (Xavier), or a gain {@code g > 0} for {@code sqrt(g)} times the identity each, so that the first
 *     attention logits are {@code g} times the scaled dot products of the ranker's own item (or
 *     feature-value) embeddings; {@code mlp} has no projections and ignores it (default 0)
 */
public record RankerSettings(int dim, int hidden, double wideInit, double attentionInit) {
    /** The defaults: 32, 64, 1, 0. */
    static final RankerSettings DEFAULTS = new RankerSettings(32, 64, 1, 0);

    /** Validates, reporting every problem at once. */
    public RankerSettings {
        var p = new ConfigException.Problems("ranker");
        p.check(dim >= 1 && dim <= 1024, "dim must be between 1 and 1024, got " + dim);
        p.check(hidden >= 1 && hidden <= 4096, "hidden must be between 1 and 4096, got " + hidden);
        p.check(Double.isFinite(wideInit), "wideInit must be a finite number, got " + wideInit);
        p.check(attentionInit >= 0 && attentionInit <= 10_000, "attentionInit must be 0 (random) or a gain up to 10000, got "
                + attentionInit);
        p.throwIfAny();
    }
}
