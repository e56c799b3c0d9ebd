package dev.attentive.model;

import dev.attentive.api.Tower;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.TowerProvider;
import dev.attentive.model.nn.MlpTower;
import java.util.List;

/**
 * The {@code mlp} tower: fully connected layers of the configured hidden widths, each followed by
 * an optional layer norm, the activation and optional dropout, then a linear layer to the output
 * width. Weights and biases start uniform in {@code ±1/sqrt(fan-in)} from the seed. Thread safe.
 */
public final class MlpTowerProvider implements TowerProvider<MlpTowerProvider.Config> {
    /** The provider name. */
    public static final String NAME = "mlp";

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public MlpTowerProvider() {
    }

    /** The hidden-layer nonlinearity. */
    public enum Activation {
        /** {@code max(0, x)}. */
        RELU,
        /** The tanh approximation of the Gaussian error linear unit. */
        GELU
    }

    /**
     * The MLP's settings.
     *
     * @param widths the hidden layer widths, each at least 1; empty for a single linear layer
     *     (default {@code [128]})
     * @param activation the hidden nonlinearity (default {@code relu})
     * @param layerNorm whether each hidden layer is layer-normalised before the activation (default false)
     * @param dropout the dropout rate of hidden activations in training, in [0, 1) (default 0)
     */
    public record Config(List<Integer> widths, Activation activation, boolean layerNorm, double dropout) {
        /** Validates every setting, reporting all problems at once. */
        public Config {
            var problems = new ConfigException.Problems(NAME);
            problems.check(widths != null, "widths must be given (use an empty list for one linear layer)");
            problems.check(activation != null, "activation must be relu or gelu");
            problems.check(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
            if (widths != null) {
                for (Integer w : widths) {
                    problems.check(w != null && w >= 1, "widths must all be at least 1, got " + widths);
                }
            }
            problems.throwIfAny();
            widths = List.copyOf(widths);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config(List.of(128), Activation.RELU, false, 0);
    }

    @Override
    public Tower create(Config config, int inputDim, int outputDim, long seed) {
        if (inputDim < 1 || outputDim < 1) {
            throw new IllegalArgumentException("An mlp tower needs inputDim and outputDim of at least 1, got "
                    + inputDim + " and " + outputDim);
        }
        return new MlpTower(config, inputDim, outputDim, seed);
    }
}
