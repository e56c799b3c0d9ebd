package dev.attentive.api;

import java.util.Objects;

/**
 * A retrieval hit.
 *
 * @param id the item id
 * @param score the similarity of the item's vector to the query (higher is closer)
 * @since 0.1.0
 */
public record ScoredItem(ItemId id, float score) {
    /** Validates. */
    public ScoredItem {
        Objects.requireNonNull(id, "id");
    }
}
