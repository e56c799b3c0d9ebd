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
     * @throws IllegalArgumentException when the request names features the model does not know, or
     *     (for recommenders that know their catalogue's schema) its filter names an unknown item field
     *     or compares a field of another type
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
     * Recommends items for a user and says what the answer was based on (a known user, the request's
     * context, or a fallback) and which recent items were unknown. The default calls
     * {@link #recommend} and reports {@link RecommendationResponse.Basis#UNREPORTED}.
     *
     * @param request the request
     * @return the recommendations, as {@link #recommend} returns them, with their basis
     * @throws IllegalArgumentException as {@link #recommend} does
     * @since 0.2.0
     */
    default RecommendationResponse respond(RecommendationRequest request) {
        return new RecommendationResponse(recommend(request), RecommendationResponse.Basis.UNREPORTED, List.of());
    }

    /**
     * The living catalogue: add, update and remove items while serving. The default has none.
     *
     * @return the catalogue
     * @throws UnsupportedOperationException when this recommender's catalogue is fixed at training
     * @since 0.2.0
     */
    default ItemCatalogue catalogue() {
        throw new UnsupportedOperationException(getClass().getName() + " serves a fixed catalogue: items can only "
                + "change by retraining. The two-tower model's recommenders have a living catalogue.");
    }

    /**
     * Releases resources such as an index. The default does nothing.
     */
    @Override
    default void close() {
    }
}
