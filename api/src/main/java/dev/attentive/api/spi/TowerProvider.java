package dev.attentive.api.spi;

import dev.attentive.api.Tower;
import java.util.Map;

/**
 * Makes {@link Tower} components. Registered like every provider, in {@code META-INF/services}
 * and {@code module-info.java}.
 *
 * @param <C> the config record
 * @since 0.1.0
 */
public interface TowerProvider<C extends Record> extends Provider<C> {

    /**
     * Creates a tower with freshly initialised parameters.
     *
     * @param config the config
     * @param inputDim the input width
     * @param outputDim the embedding width
     * @param seed the initialisation seed
     * @return the tower
     */
    Tower create(C config, int inputDim, int outputDim, long seed);

    /**
     * Creates a tower from string settings.
     *
     * @param settings settings laid over the default config
     * @param inputDim the input width
     * @param outputDim the embedding width
     * @param seed the initialisation seed
     * @return the tower
     * @throws ConfigException when a setting is unknown or invalid
     */
    default Tower create(Map<String, String> settings, int inputDim, int outputDim, long seed) {
        return create(configure(settings), inputDim, outputDim, seed);
    }
}
