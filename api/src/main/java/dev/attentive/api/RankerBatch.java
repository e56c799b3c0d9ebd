package dev.attentive.api;

import java.util.Objects;

/**
 * The input of a {@link Ranker}: candidate lists with their user contexts, as flat arrays
 * (row-major, not copied — the caller must not change them while a pass uses them).
 *
 * @param lists the number of lists, at least 1
 * @param listSize the candidate slots per list, at least 1
 * @param historyLength the history slots per list, at least 0
 * @param history {@code history[b * historyLength + h]}: catalogue index of a recent item of list
 *     {@code b}'s user (most recent first), or -1 for an empty slot
 * @param items {@code items[b * listSize + c]}: catalogue index of the candidate, or -1 for a padded slot
 * @param sourceScores {@code sourceScores[(b * listSize + c) * sourceCount + s]}: what candidate source
 *     {@code s} says about the candidate (the pipeline defines the scale, e.g. z-scored per list)
 * @param userValues {@code userValues[b * userSlots + u]}: feature-value index of the user's slot
 *     {@code u}, or -1 when absent
 * @param itemValues {@code itemValues[(b * listSize + c) * itemSlots + f]}: feature-value index of the
 *     candidate's slot {@code f}, or -1 when absent
 * @since 0.2.0
 */
public record RankerBatch(int lists, int listSize, int historyLength, int[] history, int[] items,
        float[] sourceScores, int[] userValues, int[] itemValues) {

    /** Validates the sizes that do not depend on the ranker's shape. */
    public RankerBatch {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(sourceScores, "sourceScores");
        Objects.requireNonNull(userValues, "userValues");
        Objects.requireNonNull(itemValues, "itemValues");
        if (lists < 1 || listSize < 1 || historyLength < 0) {
            throw new IllegalArgumentException("A ranker batch needs lists >= 1, listSize >= 1 and historyLength >= 0, got "
                    + lists + ", " + listSize + ", " + historyLength);
        }
        if (history.length != lists * historyLength) {
            throw new IllegalArgumentException("history has " + history.length + " entries; lists * historyLength = "
                    + lists * historyLength);
        }
        if (items.length != lists * listSize) {
            throw new IllegalArgumentException("items has " + items.length + " entries; lists * listSize = " + lists * listSize);
        }
    }

    /**
     * Checks the per-slot arrays against a ranker's shape.
     *
     * @param sourceCount the scores per candidate
     * @param userSlots the user feature slots
     * @param itemSlots the item feature slots per candidate
     * @throws IllegalArgumentException naming the array whose size is wrong
     */
    public void checkSlots(int sourceCount, int userSlots, int itemSlots) {
        int slots = lists * listSize;
        if (sourceScores.length != slots * sourceCount) {
            throw new IllegalArgumentException("sourceScores has " + sourceScores.length + " entries; lists * listSize * sourceCount = "
                    + slots * sourceCount);
        }
        if (userValues.length != lists * userSlots) {
            throw new IllegalArgumentException("userValues has " + userValues.length + " entries; lists * userSlots = "
                    + lists * userSlots);
        }
        if (itemValues.length != slots * itemSlots) {
            throw new IllegalArgumentException("itemValues has " + itemValues.length + " entries; lists * listSize * itemSlots = "
                    + slots * itemSlots);
        }
    }
}
