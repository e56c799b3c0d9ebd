package dev.attentive.api;

import java.util.Objects;

/**
 * An item as a {@link Retriever} stores it: its id, its embedding and its filterable attributes.
 * The vector array is not copied; callers must not modify it after handing it over.
 *
 * @param id the item id
 * @param vector the item embedding; finite values
 * @param attributes the attributes that filters refer to
 * @since 0.1.0
 */
public record IndexedItem(ItemId id, float[] vector, Features attributes) {
    /** Validates. */
    public IndexedItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(attributes, "attributes");
    }
}
