package dev.attentive.eval.tune;

import dev.attentive.api.Dataset;
import dev.attentive.api.ItemFilter;
import dev.attentive.api.ItemId;
import dev.attentive.api.Recommendation;
import dev.attentive.api.RecommendationRequest;
import dev.attentive.api.Recommender;
import dev.attentive.api.UserId;
import dev.attentive.api.spi.ConfigException;
import dev.attentive.api.spi.ModelProvider;
import dev.attentive.api.spi.TrainingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test model that knows the answers: with {@code target=valid} it recommends each user's validation
 * items (perfect on validation, worthless on test, where they are masked), with {@code target=test}
 * each user's test items (worthless on validation, perfect on test), of the split of the seed it is
 * trained with. The test that uses it fills {@link #TARGETS} from the same splits the tuner and the
 * experiment make, so a search that chose on test would pick {@code test}. Registered only through a test class loader, never in the service files.
 */
public final class OracleModelProvider implements ModelProvider<OracleModelProvider.Config> {
    /** The provider's name. */
    public static final String NAME = "oracle";
    /** Per {@code target@seed} (e.g. {@code valid@7}), each user's items; set by the test before a run. */
    public static final Map<String, Map<UserId, List<ItemId>>> TARGETS = new ConcurrentHashMap<>();

    /** Creates the provider (for the service loader). */
    public OracleModelProvider() {
    }

    /**
     * The settings.
     *
     * @param target {@code valid} or {@code test}
     */
    public record Config(String target) {
        /** Validates. */
        public Config {
            new ConfigException.Problems(NAME).check("valid".equals(target) || "test".equals(target),
                    "target must be valid or test, got " + target).throwIfAny();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Config defaultConfig() {
        return new Config("valid");
    }

    @Override
    public Recommender train(Dataset train, Config config, TrainingContext context) {
        Map<UserId, List<ItemId>> targets = TARGETS.getOrDefault(config.target() + "@" + context.seed(), Map.of());
        return new Recommender() {
            @Override
            public List<Recommendation> recommend(RecommendationRequest request) {
                List<Recommendation> out = new ArrayList<>();
                for (ItemId item : targets.getOrDefault(request.userId(), List.of())) {
                    if (out.size() < request.k() && !request.exclusions().contains(item)) {
                        out.add(new Recommendation(item, 1.0 / (out.size() + 1)));
                    }
                }
                return out;
            }

            @Override
            public List<Recommendation> similarItems(ItemId item, int k, ItemFilter filter) {
                return List.of();
            }
        };
    }
}
