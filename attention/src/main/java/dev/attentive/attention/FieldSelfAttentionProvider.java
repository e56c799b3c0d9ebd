package dev.attentive.attention;

import dev.attentive.api.Attention;
import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.api.spi.AttentionShape;
import dev.attentive.api.spi.ConfigException;
import java.util.Objects;

/**
 * The {@code field-self-attention} attention: AutoInt-style multi-head self-attention across the
 * tower's field vectors (per-head query/key/value projections, residual connection, layer norm),
 * {@code layers} times, then pooled into one vector by a learned query over the attended fields.
 * The exposed weight per field is that pooling weight; {@code outputDim == dim}.
 *
 * <p>Parameters (in order), per layer {@code l}: {@code layerL.query.weight},
 * {@code layerL.key.weight}, {@code layerL.value.weight} {@code [heads * headDim, dim]},
 * {@code layerL.output.weight} {@code [dim, heads * headDim]}, {@code layerL.norm.gain},
 * {@code layerL.norm.bias} {@code [dim]}; then {@code pool.query} {@code [dim]} and, with
 * {@code fieldBias}, {@code pool.field.bias} {@code [fields]}.
 *
 * <p>Cost per row is about {@code fields * 4 * dim * heads * headDim} multiply-adds per layer forward,
 * three times that for forward plus backward, done as batched matrix products over all
 * {@code batch * fields} field vectors (on the JDK's Vector API when {@code jdk.incubator.vector}
 * is in the boot layer, as with {@code --add-modules jdk.incubator.vector}; the scalar fallback is
 * about ten times slower). Both passes are in float, with double accumulators for the layer norm and the softmaxes.
 *
 * <p>The provider is stateless and thread safe; the attentions it makes allow concurrent forward passes.
 */
public final class FieldSelfAttentionProvider implements AttentionProvider<FieldSelfAttentionProvider.Config> {
    /** The provider name. */
    public static final String NAME = "field-self-attention";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public FieldSelfAttentionProvider() {
    }

    /**
     * The settings.
     *
     * @param heads the number of attention heads, 1 to 64; default 2
     * @param headDim the width of each head, 1 to 4096, or 0 for {@code max(1, dim / heads)};
     *     default 0
     * @param layers the number of self-attention layers, 1 to 8; default 1
     * @param fieldBias whether the pooling query gets a learned score bias per field; default true
     */
    public record Config(int heads, int headDim, int layers, boolean fieldBias) {
        /** Validates, reporting every problem at once. */
        public Config {
            var p = new ConfigException.Problems(NAME);
            p.check(heads >= 1 && heads <= 64, "heads must be between 1 and 64, got " + heads);
            p.check(headDim >= 0 && headDim <= 4096,
                    "headDim must be between 1 and 4096, or 0 for dim / heads, got " + headDim);
            p.check(layers >= 1 && layers <= 8, "layers must be between 1 and 8, got " + layers);
            p.throwIfAny();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config(2, 0, 1, true);
    }

    @Override
    public Attention create(Config config, AttentionShape shape, long seed) {
        Objects.requireNonNull(config, "config");
        int headDim = config.headDim() > 0 ? config.headDim() : Math.max(1, shape.dim() / config.heads());
        return new FieldSelfAttention(shape.fieldCount(), shape.dim(), config.heads(), headDim, config.layers(),
                config.fieldBias(), seed);
    }
}
