package dev.attentive.examples;

import dev.attentive.api.Dataset;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.TrainingContext;

/**
 * A model whose training fails with a bug-like {@link IllegalStateException}: registered for the
 * examples' tests only ({@code src/test/resources/META-INF/services}), so that the command line's
 * handling of an internal failure is tested through the same provider lookup as every model.
 */
public final class FailingModelProvider implements ModelProvider<FailingModelProvider.Config> {
    /** The provider's name. */
    public static final String NAME = "test-internal-failure";
    /** What training throws. */
    static final String MESSAGE = "an invariant of the test model broke";

    /** No settings. */
    public record Config() {
    }

    /** For the service loader. */
    public FailingModelProvider() {
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
    public Recommender train(Dataset train, Config config, TrainingContext context) {
        throw new IllegalStateException(MESSAGE);
    }
}
