package dev.attentive.api.spi;

import dev.attentive.api.Ranker;
import java.util.Map;

/**
 * Makes {@link Ranker} components. Register an implementation in
 * {@code META-INF/services/dev.attentive.api.spi.RankerProvider} and in {@code module-info.java}
 * ({@code provides dev.attentive.api.spi.RankerProvider with ...}); find it with
 * {@link ProviderRegistry#rankers()}.
 *
 * @param <C> the config record
 * @since 0.2.0
 */
public interface RankerProvider<C extends Record> extends Provider<C> {

    /**
     * Creates a ranker with freshly initialised parameters.
     *
     * @param config the config
     * @param shape the catalogue, feature slots and sources
     * @param seed the seed of the parameter initialisation; the same seed gives the same parameters
     * @return the ranker
     */
    Ranker create(C config, RankerShape shape, long seed);

    /**
     * Creates a ranker from string settings.
     *
     * @param settings settings laid over the default config
     * @param shape the catalogue, feature slots and sources
     * @param seed the initialisation seed
     * @return the ranker
     * @throws ConfigException when a setting is unknown or invalid
     */
    default Ranker create(Map<String, String> settings, RankerShape shape, long seed) {
        return create(configure(settings), shape, seed);
    }
}
