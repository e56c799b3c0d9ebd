package dev.attentive.api;

import java.util.Objects;

/**
 * The identifier of an item, as the host application spells it.
 *
 * @param value the non-blank id
 * @since 0.1.0
 */
public record ItemId(String value) implements Comparable<ItemId> {
    /** Validates the id. */
    public ItemId {
        Objects.requireNonNull(value, "item id");
        if (value.isBlank()) {
            throw new IllegalArgumentException("An item id must not be blank");
        }
    }

    /**
     * Creates an item id.
     *
     * @param value the non-blank id
     * @return the id
     */
    public static ItemId of(String value) {
        return new ItemId(value);
    }

    @Override
    public int compareTo(ItemId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
