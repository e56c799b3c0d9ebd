package dev.attentive.api;

import java.util.Objects;
import java.util.Optional;

/**
 * One recommended item.
 *
 * @param item the item
 * @param score the model's score; higher is better; comparable only within one response
 * @param explanation why, present only when the request asked for it
 * @since 0.1.0
 */
public record Recommendation(ItemId item, double score, Optional<Explanation> explanation) {
    /** Validates. */
    public Recommendation {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(explanation, "explanation (use Optional.empty())");
    }

    /**
     * A recommendation without explanation.
     *
     * @param item the item
     * @param score the score
     */
    public Recommendation(ItemId item, double score) {
        this(item, score, Optional.empty());
    }
}
