package dev.attentive.api.spi;

import dev.attentive.api.Dataset;
import dev.attentive.api.Recommender;
import java.util.Map;

/**
 * Trains a recommendation model by name: the evaluation harness trains every model — its own
 * baselines, the {@code two-tower} model, a third party's — through this interface. Registered like
 * every provider, in {@code META-INF/services} and {@code module-info.java}.
 *
 * @param <C> the config record (its settings are the model's hyper-parameters)
 * @since 0.1.0
 */
public interface ModelProvider<C extends Record> extends Provider<C> {

    /**
     * Trains a model.
     *
     * @param train the training data; its feature tables cover the whole catalogue and user base
     * @param config the hyper-parameters
     * @param context seed, threads, validation callback and progress listener
     * @return the trained model; the items it recommends are those of {@code train}'s interactions
     *     and item table
     * @throws IllegalArgumentException when the data does not suit the model, with the reason
     */
    Recommender train(Dataset train, C config, TrainingContext context);

    /**
     * Trains a model from string settings.
     *
     * @param train the training data
     * @param settings hyper-parameters laid over the defaults
     * @param context the training context
     * @return the trained model
     * @throws ConfigException when a setting is unknown or invalid
     */
    default Recommender train(Dataset train, Map<String, String> settings, TrainingContext context) {
        return train(train, configure(settings), context);
    }
}
