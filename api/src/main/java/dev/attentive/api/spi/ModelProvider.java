package dev.attentive.api.spi;

import dev.attentive.api.Dataset;
import dev.attentive.api.Recommender;
import java.util.Map;
import java.util.Optional;

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

    /**
     * What a model of this config would read from a dataset beside its interactions, without
     * training it: the evaluation harness prints it next to each model's results. The default
     * returns empty ("not reported"); a provider overrides it to say, e.g., which feature fields
     * enter its towers, or {@link ModelInputs#INTERACTIONS_ONLY}.
     *
     * @param data the data the model would be trained on (most models need only its schemas)
     * @param config the hyper-parameters
     * @return the inputs, or empty when this provider does not report them
     * @since 0.2.0
     */
    default Optional<ModelInputs> inputs(Dataset data, C config) {
        return Optional.empty();
    }

    /**
     * {@link #inputs(Dataset, Record)} from string settings.
     *
     * @param data the data the model would be trained on
     * @param settings hyper-parameters laid over the defaults
     * @return the inputs, or empty when this provider does not report them
     * @throws ConfigException when a setting is unknown or invalid
     * @since 0.2.0
     */
    default Optional<ModelInputs> inputs(Dataset data, Map<String, String> settings) {
        return inputs(data, configure(settings));
    }
}
