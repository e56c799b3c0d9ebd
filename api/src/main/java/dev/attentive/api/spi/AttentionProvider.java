package dev.attentive.api.spi;

import dev.attentive.api.Attention;
import java.util.Map;

/**
 * Makes {@link Attention} components. Register an implementation in
 * {@code META-INF/services/dev.attentive.api.spi.AttentionProvider} and in {@code module-info.java}
 * ({@code provides dev.attentive.api.spi.AttentionProvider with ...}).
 *
 * @param <C> the config record
 * @since 0.1.0
 */
public interface AttentionProvider<C extends Record> extends Provider<C> {

    /**
     * Creates an attention with freshly initialised parameters.
     *
     * @param config the config
     * @param shape the input fields and dimension
     * @param seed the seed of the parameter initialisation; the same seed gives the same parameters
     * @return the attention
     */
    Attention create(C config, AttentionShape shape, long seed);

    /**
     * Creates an attention from string settings.
     *
     * @param settings settings laid over the default config
     * @param shape the input fields and dimension
     * @param seed the initialisation seed
     * @return the attention
     * @throws ConfigException when a setting is unknown or invalid
     */
    default Attention create(Map<String, String> settings, AttentionShape shape, long seed) {
        return create(configure(settings), shape, seed);
    }
}
