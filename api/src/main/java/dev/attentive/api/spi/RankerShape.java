package dev.attentive.api.spi;

import java.util.List;

/**
 * What a {@link dev.attentive.api.Ranker} is created for: the catalogue size of its item embeddings,
 * the size of its feature-value vocabulary, the feature slots of a user and of an item, and the
 * names of the candidate sources whose scores it reads.
 *
 * @param itemCount the catalogue size; items are indexed {@code 0 .. itemCount - 1}
 * @param valueCount the number of distinct feature values (all fields together), at least 0
 * @param userSlots the user feature slots per list, at least 0
 * @param itemSlots the item feature slots per candidate, at least 0
 * @param sources the names of the candidate sources, in score order (possibly empty)
 * @since 0.2.0
 */
public record RankerShape(int itemCount, int valueCount, int userSlots, int itemSlots, List<String> sources) {
    /** Validates and copies. */
    public RankerShape {
        sources = List.copyOf(sources);
        if (itemCount < 1) {
            throw new IllegalArgumentException("A ranker needs at least one item, got itemCount " + itemCount);
        }
        if (valueCount < 0 || userSlots < 0 || itemSlots < 0) {
            throw new IllegalArgumentException("valueCount, userSlots and itemSlots must be at least 0, got "
                    + valueCount + ", " + userSlots + ", " + itemSlots);
        }
        if ((userSlots > 0 || itemSlots > 0) && valueCount == 0) {
            throw new IllegalArgumentException("Feature slots need feature values: valueCount is 0 but userSlots is "
                    + userSlots + " and itemSlots " + itemSlots);
        }
    }

    /**
     * The number of scores per candidate.
     *
     * @return {@code sources().size()}
     */
    public int sourceCount() {
        return sources.size();
    }
}
