package dev.attentive.eval.baselines;

import dev.attentive.api.Dataset;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ModelInputs;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.TrainingContext;
import java.util.Optional;

/**
 * {@code pop}: scores items by their number of training users; the same list for everyone (minus
 * each user's own items). Stateless and thread safe.
 */
public final class PopModelProvider implements ModelProvider<PopModelProvider.Config> {
    /** The provider name. */
    public static final String NAME = "pop";

    /** No settings. */
    public record Config() {
    }

    /** Creates the provider (ServiceLoader needs a public no-argument constructor). */
    public PopModelProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config();
    }

    /** Reads the interactions only. */
    @Override
    public Optional<ModelInputs> inputs(Dataset data, Config config) {
        return Optional.of(ModelInputs.INTERACTIONS_ONLY);
    }

    @Override
    public Recommender train(Dataset train, Config config, TrainingContext context) {
        InteractionMatrix m = new InteractionMatrix(train);
        float[] pop = new float[m.itemCount()];
        for (int i = 0; i < pop.length; i++) {
            pop[i] = m.itemCounts[i];
        }
        return new ScoringRecommender(m) {
            @Override
            void score(int user, int[] history, float[] out) {
                System.arraycopy(pop, 0, out, 0, out.length);
            }
        };
    }
}
