package dev.attentive.api;

import java.util.List;
import java.util.Objects;

/**
 * The answer to a request together with what it was based on, so a host app can log and count
 * answers that were not personal.
 *
 * @param items the recommendations, as {@link Recommender#recommend} returns them
 * @param basis what the answer was computed from
 * @param unknownRecentItems recent items of the request that the catalogue does not hold (ignored),
 *     in request order; empty when all were used
 * @since 0.2.0
 */
public record RecommendationResponse(List<Recommendation> items, Basis basis, List<ItemId> unknownRecentItems) {
    /** Validates and copies. */
    public RecommendationResponse {
        items = List.copyOf(items);
        Objects.requireNonNull(basis, "basis");
        unknownRecentItems = List.copyOf(unknownRecentItems);
    }

    /**
     * Whether the answer is a fallback: the same for every user, because nothing in the request
     * identified or described the user ({@link Basis#FALLBACK}).
     *
     * @return true for a fallback answer
     */
    public boolean fallback() {
        return basis == Basis.FALLBACK;
    }

    /**
     * What an answer was computed from.
     *
     * @since 0.2.0
     */
    public enum Basis {
        /** A user known from training (with the request's features and recent items, if any). */
        KNOWN_USER,
        /**
         * An unknown or anonymous user, from the features or recent items the request gave (cold
         * start): personal, but only as far as the request describes the user.
         */
        REQUEST_CONTEXT,
        /**
         * An unknown or anonymous user with no usable features and no usable recent items: the answer
         * is the model's generic list, the same for everyone such.
         */
        FALLBACK,
        /** The recommender does not report its basis (it does not override {@link Recommender#respond}). */
        UNREPORTED
    }
}
