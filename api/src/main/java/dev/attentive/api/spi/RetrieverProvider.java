package dev.attentive.api.spi;

import dev.attentive.api.Retriever;
import java.util.Map;

/**
 * Makes {@link Retriever}s. Registered like every provider, in {@code META-INF/services} and
 * {@code module-info.java}.
 *
 * @param <C> the config record
 * @since 0.1.0
 */
public interface RetrieverProvider<C extends Record> extends Provider<C> {

    /**
     * Creates an empty retriever (or opens a persisted one, when the config names a location).
     *
     * @param config the config
     * @param spec the vectors it serves
     * @return the retriever; the caller closes it
     */
    Retriever create(C config, RetrieverSpec spec);

    /**
     * Creates a retriever from string settings.
     *
     * @param settings settings laid over the default config
     * @param spec the vectors it serves
     * @return the retriever
     * @throws ConfigException when a setting is unknown or invalid
     */
    default Retriever create(Map<String, String> settings, RetrieverSpec spec) {
        return create(configure(settings), spec);
    }
}
