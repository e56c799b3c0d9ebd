package dev.attentive.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a host app asks a {@link Recommender} for. At least one of a user id, user features or
 * recent items must be given; an unknown user is served from features and recent items.
 *
 * @param userId the user, or {@code null} for an anonymous request
 * @param userFeatures the user's features (and request context such as hour of day); never null
 * @param recentItems the user's recent items, most recent first; never null
 * @param k how many recommendations, at least 1
 * @param filter which items may be returned; never null ({@link ItemFilter#all()} keeps all)
 * @param exclusions items that must not be returned; never null
 * @param excludeSeen whether the items the user interacted with in training are excluded
 * @param explain whether each recommendation carries an {@link Explanation}
 * @since 0.1.0
 */
public record RecommendationRequest(UserId userId, Features userFeatures, List<ItemId> recentItems, int k,
        ItemFilter filter, Set<ItemId> exclusions, boolean excludeSeen, boolean explain) {

    /** Validates and copies. */
    public RecommendationRequest {
        Objects.requireNonNull(userFeatures, "userFeatures");
        recentItems = List.copyOf(recentItems);
        Objects.requireNonNull(filter, "filter");
        exclusions = Set.copyOf(exclusions);
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (userId == null && userFeatures.values().isEmpty() && recentItems.isEmpty()) {
            throw new IllegalArgumentException(
                    "A request needs a user id, user features or recent items; it has none of them");
        }
    }

    /**
     * The user, if the request names one.
     *
     * @return the user id
     */
    public Optional<UserId> user() {
        return Optional.ofNullable(userId);
    }

    /**
     * A builder for a request for a known user.
     *
     * @param user the user id
     * @return a builder with k = 10, no filter, no exclusions, excludeSeen = true, explain = false
     */
    public static Builder forUser(UserId user) {
        return new Builder().user(user);
    }

    /**
     * A builder with the defaults: k = 10, no filter, no exclusions, excludeSeen = true, explain = false.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link RecommendationRequest}; not thread safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private UserId user;
        private Features features = Features.NONE;
        private List<ItemId> recent = List.of();
        private int k = 10;
        private ItemFilter filter = ItemFilter.all();
        private Set<ItemId> exclusions = Set.of();
        private boolean excludeSeen = true;
        private boolean explain;

        private Builder() {
        }

        /**
         * Sets the user.
         *
         * @param user the user id, or null
         * @return this builder
         */
        public Builder user(UserId user) {
            this.user = user;
            return this;
        }

        /**
         * Sets the user's features and request context.
         *
         * @param features the features
         * @return this builder
         */
        public Builder features(Features features) {
            this.features = features;
            return this;
        }

        /**
         * Sets the recent items, most recent first.
         *
         * @param recent the items
         * @return this builder
         */
        public Builder recentItems(List<ItemId> recent) {
            this.recent = recent;
            return this;
        }

        /**
         * Sets how many recommendations to return.
         *
         * @param k at least 1
         * @return this builder
         */
        public Builder k(int k) {
            this.k = k;
            return this;
        }

        /**
         * Sets the item filter.
         *
         * @param filter the filter
         * @return this builder
         */
        public Builder filter(ItemFilter filter) {
            this.filter = filter;
            return this;
        }

        /**
         * Sets items never to return.
         *
         * @param exclusions the items
         * @return this builder
         */
        public Builder exclude(Set<ItemId> exclusions) {
            this.exclusions = exclusions;
            return this;
        }

        /**
         * Sets whether training interactions of the user are excluded.
         *
         * @param excludeSeen the flag
         * @return this builder
         */
        public Builder excludeSeen(boolean excludeSeen) {
            this.excludeSeen = excludeSeen;
            return this;
        }

        /**
         * Sets whether explanations are returned.
         *
         * @param explain the flag
         * @return this builder
         */
        public Builder explain(boolean explain) {
            this.explain = explain;
            return this;
        }

        /**
         * Builds and validates the request.
         *
         * @return the request
         */
        public RecommendationRequest build() {
            return new RecommendationRequest(user, features, recent, k, filter, exclusions, excludeSeen, explain);
        }
    }
}
