package dev.attentive.model;

import dev.attentive.api.Attention;
import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.api.spi.AttentionShape;
import dev.attentive.model.nn.MeanAttention;

/**
 * The {@code mean} attention: the plain average of the present field vectors, every present field
 * weighing {@code 1 / present}. It has no parameters and is the no-attention baseline.
 */
public final class MeanAttentionProvider implements AttentionProvider<MeanAttentionProvider.Config> {
    /** The provider name. */
    public static final String NAME = "mean";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public MeanAttentionProvider() {
    }

    /** The mean attention has no settings. */
    public record Config() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config();
    }

    @Override
    public Attention create(Config config, AttentionShape shape, long seed) {
        return new MeanAttention(shape.fieldCount(), shape.dim());
    }
}
