package dev.attentive.eval.baselines;

import dev.attentive.api.Dataset;
import dev.attentive.api.Recommender;
import dev.attentive.api.spi.ModelInputs;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.TrainingContext;
import java.util.Optional;

/**
 * {@code random}: scores every item with a seeded pseudo-random number per (user, item), the floor
 * every model must clear. Stateless and thread safe.
 */
public final class RandomModelProvider implements ModelProvider<RandomModelProvider.Config> {
    /** The provider name. */
    public static final String NAME = "random";

    /** No settings. */
    public record Config() {
    }

    /** Creates the provider (ServiceLoader needs a public no-argument constructor). */
    public RandomModelProvider() {
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
        long seed = context.seed();
        return new ScoringRecommender(m) {
            @Override
            void score(int user, int[] history, float[] out) {
                long base = mix(seed ^ (user * 0x9E3779B97F4A7C15L));
                for (int i = 0; i < out.length; i++) {
                    out[i] = (mix(base + i) >>> 40) / (float) (1L << 24);
                }
            }
        };
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
