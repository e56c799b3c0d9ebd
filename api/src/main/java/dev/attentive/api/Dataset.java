package dev.attentive.api;

import java.util.List;
import java.util.Objects;

/**
 * Interactions with optional user and item feature tables, as loaders and host apps produce them.
 * Immutable and thread safe.
 *
 * @param name a short name for reports and provenance (e.g. {@code "ml-100k"})
 * @param interactions the interactions, copied, in the source's order
 * @param users the user feature table (possibly {@link FeatureTable#empty()})
 * @param items the item feature table (possibly {@link FeatureTable#empty()}); its rows define
 *     the catalogue together with the items that occur in interactions
 * @since 0.1.0
 */
public record Dataset(String name, List<Interaction> interactions, FeatureTable<UserId> users,
        FeatureTable<ItemId> items) {
    /** Validates and copies. */
    public Dataset {
        Objects.requireNonNull(name, "name");
        interactions = List.copyOf(interactions);
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(items, "items");
    }

    /**
     * A copy of this dataset with other interactions and the same feature tables, as a split produces.
     *
     * @param newInteractions the interactions
     * @return the dataset
     */
    public Dataset withInteractions(List<Interaction> newInteractions) {
        return new Dataset(name, newInteractions, users, items);
    }

    /**
     * Whether every interaction carries a timestamp.
     *
     * @return true when temporal protocols can run on this dataset
     */
    public boolean hasTimestamps() {
        return interactions.stream().allMatch(Interaction::hasTimestamp);
    }
}
