package dev.attentive.attention;

import dev.attentive.api.Attention;
import dev.attentive.api.spi.AttentionProvider;
import dev.attentive.api.spi.AttentionShape;
import dev.attentive.api.spi.ConfigException;
import java.util.Objects;

/**
 * The {@code field-gating} attention: squeeze-and-excitation over fields (as in FiBiNET and
 * DSSM-SENet), the cheap speed/quality trade-off point. Each present field vector is squeezed to
 * its mean; a {@code fields -> ceil(fields / reduction) -> fields} network (ReLU, then sigmoid)
 * gives one gate in (0, 1) per field; masked fields gate 0. The weights are the gates normalised to
 * sum to 1. With {@link Combine#SUM} the output is the weighted sum ({@code outputDim == dim});
 * with {@link Combine#CONCAT} it is the concatenation of the gated field vectors
 * ({@code outputDim == fields * dim}, raw gates, as SENet does).
 *
 * <p>Parameters (in order): {@code squeeze.weight} {@code [hidden, fields]}, {@code squeeze.bias}
 * {@code [hidden]}, {@code excite.weight} {@code [fields, hidden]}, {@code excite.bias} {@code [fields]}.
 *
 * <p>The provider is stateless and thread safe; the attentions it makes allow concurrent forward passes.
 */
public final class FieldGatingProvider implements AttentionProvider<FieldGatingProvider.Config> {
    /** The provider name. */
    public static final String NAME = "field-gating";

    /** How the gated fields become the output. */
    public enum Combine {
        /** The sum of the field vectors weighted by the normalised gates; {@code outputDim == dim}. */
        SUM,
        /** The concatenation of the field vectors scaled by their raw gates; {@code outputDim == fields * dim}. */
        CONCAT
    }

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public FieldGatingProvider() {
    }

    /**
     * The settings.
     *
     * @param reduction the squeeze ratio: the hidden layer has {@code ceil(fields / reduction)}
     *     units, 1 to 1024; default 2
     * @param combine how the gated fields are combined; default {@link Combine#SUM}
     */
    public record Config(int reduction, Combine combine) {
        /** Validates, reporting every problem at once. */
        public Config {
            var p = new ConfigException.Problems(NAME);
            p.check(reduction >= 1 && reduction <= 1024, "reduction must be between 1 and 1024, got " + reduction);
            p.check(combine != null, "combine must be one of sum, concat");
            p.throwIfAny();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config(2, Combine.SUM);
    }

    @Override
    public Attention create(Config config, AttentionShape shape, long seed) {
        Objects.requireNonNull(config, "config");
        int hidden = (shape.fieldCount() + config.reduction() - 1) / config.reduction();
        return new FieldGating(shape.fieldCount(), shape.dim(), hidden, config.combine(), seed);
    }
}
