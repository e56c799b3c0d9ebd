package dev.attentive.api;

import java.util.Objects;

/**
 * One observed interaction of a user with an item: a view, a purchase, a rating.
 *
 * @param user the user
 * @param item the item
 * @param timestamp seconds since the epoch, or {@link #NO_TIMESTAMP} when the source has no time
 * @param weight the strength of the interaction (a rating, a count, or 1); finite
 * @since 0.1.0
 */
public record Interaction(UserId user, ItemId item, long timestamp, float weight) {
    /** The timestamp of an interaction whose source records no time. */
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    /** Validates the interaction. */
    public Interaction {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(item, "item");
        if (!Float.isFinite(weight)) {
            throw new IllegalArgumentException("Interaction weight must be finite, got " + weight
                    + " for user " + user + " and item " + item);
        }
    }

    /**
     * An implicit interaction (weight 1) without time.
     *
     * @param user the user
     * @param item the item
     * @return the interaction
     */
    public static Interaction of(String user, String item) {
        return new Interaction(UserId.of(user), ItemId.of(item), NO_TIMESTAMP, 1f);
    }

    /**
     * Whether the interaction carries a timestamp.
     *
     * @return {@code false} when {@link #timestamp()} is {@link #NO_TIMESTAMP}
     */
    public boolean hasTimestamp() {
        return timestamp != NO_TIMESTAMP;
    }
}
