package dev.attentive.api;

import java.util.List;
import java.util.Objects;

/**
 * Why an item was recommended, from the attention weights of both towers.
 *
 * <p>Contract: each list of weights is non-negative and sums to 1 (within float rounding) when it
 * is non-empty; {@link #contributions()} sum to the recommendation's score (within float rounding).
 * How a model splits the score into per-field contributions is documented by the model.
 *
 * @param userFieldWeights the user tower's weight per field, highest first
 * @param historyItems the most heavily weighted recent items (names are item ids), highest first
 * @param itemFieldWeights the item tower's weight per field, highest first
 * @param contributions each field's share of the score, largest magnitude first
 * @since 0.1.0
 */
public record Explanation(List<Weight> userFieldWeights, List<Weight> historyItems,
        List<Weight> itemFieldWeights, List<Weight> contributions) {
    /** Copies. */
    public Explanation {
        userFieldWeights = List.copyOf(userFieldWeights);
        historyItems = List.copyOf(historyItems);
        itemFieldWeights = List.copyOf(itemFieldWeights);
        contributions = List.copyOf(contributions);
    }

    /**
     * A named number: a field's weight, a history item's weight or a field's contribution.
     *
     * @param name the field name or item id
     * @param value the weight or contribution
     * @since 0.1.0
     */
    public record Weight(String name, double value) {
        /** Validates. */
        public Weight {
            Objects.requireNonNull(name, "name");
        }
    }
}
