package dev.attentive.model;

import dev.attentive.api.Attention;
import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.api.spi.AttentionShape;
import dev.attentive.model.nn.ConcatFields;
import java.util.Objects;

/**
 * The {@code concat-mlp} attention: the strong non-attention baseline. It concatenates the field
 * vectors in field order, a missing field as zeros, so {@code outputDim == fields * dim}, and lets
 * the tower's MLP that follows it learn how to mix the fields. It has no parameters.
 *
 * <p>Its weights are uniform over the present fields ({@code 1 / present}) only to satisfy the
 * attention contract; they <em>carry no meaning</em> and must not be shown as explanations. The
 * two-tower model's explanations therefore report, in their place, the normalised magnitudes of the
 * fields' contributions to the score: {@code |c_f| / sum |c|} over the present fields, with
 * {@code c_f} the first-order change of the score when field {@code f}'s vector is scaled (the
 * tower linearised at the request, the output norm held fixed; see {@link TwoTowerModelProvider}).
 * It lives in core-model because it is the two-tower model's default (chosen by the ablation in the
 * README).
 *
 * <p>Stateless and thread safe.
 */
public final class ConcatMlpProvider implements AttentionProvider<ConcatMlpProvider.Config> {
    /** The provider name. */
    public static final String NAME = "concat-mlp";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public ConcatMlpProvider() {
    }

    /** {@code concat-mlp} has no settings. */
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
        Objects.requireNonNull(config, "config");
        return new ConcatFields(shape.fieldCount(), shape.dim());
    }
}
