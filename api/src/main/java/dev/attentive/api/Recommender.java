package dev.attentive.api;

import java.util.List;

/**
 * A trained model that answers recommendation requests. Implementations are safe for concurrent
 * calls from many threads unless they document otherwise.
 *
 * @since 0.1.0
 */
public interface Recommender extends AutoCloseable {

    /**
     * Recommends items for a user, best first.
     *
     * @param request the request
     * @return at most {@code request.k()} recommendations, sorted by descending score, none of them
     *     excluded or filtered out; fewer only when fewer items are eligible
     * @throws IllegalArgumentException when the request names features the model does not know
     */
    List<Recommendation> recommend(RecommendationRequest request);

    /**
     * Items similar to an item, best first, never including the item itself.
     *
     * @param item the item
     * @param k how many, at least 1
     * @param filter which items may be returned
     * @return at most k items by descending similarity
     * @throws IllegalArgumentException when the model does not know the item
     */
    List<Recommendation> similarItems(ItemId item, int k, ItemFilter filter);

    /**
     * Releases resources such as an index. The default does nothing.
     */
    @Override
    default void close() {
    }
}
