package dev.attentive.api;

import java.util.Optional;

/**
 * The living catalogue behind a {@link Recommender}: items can be added, updated and removed while
 * the recommender serves, without retraining. An added or updated item is embedded from its
 * features by the model's item tower; a change is visible to every request that starts after the
 * changing call returns.
 *
 * <p>Items whose id the model never saw in training are served from their other features alone
 * (cold start); their id contributes nothing to the embedding. Removing an item that the model was
 * trained on removes it from answers; the model's parameters are unchanged.
 *
 * <p>Implementations are thread safe and document whether and when a change is durable (the
 * runtime's {@code ServingRecommender} with an index directory journals each change before the call
 * returns; a two-tower recommender on its own keeps changes in memory and in its retriever).
 *
 * @since 0.2.0
 */
public interface ItemCatalogue {

    /**
     * The attributes items have and filters may name: the item feature table's schema.
     *
     * @return the schema
     */
    FeatureSchema schema();

    /**
     * The number of items that can be recommended now.
     *
     * @return the item count
     */
    int size();

    /**
     * Whether the catalogue holds the item now.
     *
     * @param item the item
     * @return true when it can be recommended
     */
    boolean contains(ItemId item);

    /**
     * The item's features, as last given.
     *
     * @param item the item
     * @return its features, or empty when the catalogue does not hold it
     */
    Optional<Features> features(ItemId item);

    /**
     * Adds the item, or replaces its features (and so its embedding) when the catalogue holds it.
     *
     * @param item the item
     * @param features its features; every field must be in {@link #schema()} with its type
     * @return true when the item was added, false when it replaced an item
     * @throws IllegalArgumentException when a feature is unknown or of the wrong type, naming the
     *     field and the known ones
     */
    boolean put(ItemId item, Features features);

    /**
     * Removes the item: it is never recommended (nor returned as similar) after this call returns.
     *
     * @param item the item
     * @return whether the catalogue held it
     */
    boolean remove(ItemId item);
}
