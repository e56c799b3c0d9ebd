package dev.attentive.api.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a model reads from a dataset beside its interactions: the user and item fields that enter it
 * and any other inputs, such as a user's recent items or the hour of an interaction. Reports print it
 * next to each model's results, so that a reader knows which models saw features. Immutable.
 *
 * @param userFields the user table's fields the model reads, in schema order (the user id is implied)
 * @param itemFields the item table's fields the model reads, in schema order (the item id is implied)
 * @param other other inputs in a few words each, e.g. {@code "recent items"} or {@code "hour and day of
 *     week of each interaction"}
 * @since 0.2.0
 */
public record ModelInputs(List<String> userFields, List<String> itemFields, List<String> other) {
    /**
     * A model that reads the interactions (user id, item id, weight, time) and nothing else.
     *
     * @since 0.2.0
     */
    public static final ModelInputs INTERACTIONS_ONLY = new ModelInputs(List.of(), List.of(), List.of());

    /** Copies; no list may be null or hold null. */
    public ModelInputs {
        userFields = List.copyOf(Objects.requireNonNull(userFields, "userFields"));
        itemFields = List.copyOf(Objects.requireNonNull(itemFields, "itemFields"));
        other = List.copyOf(Objects.requireNonNull(other, "other"));
    }

    /**
     * Whether the model reads nothing but the interactions.
     *
     * @return true when every list is empty
     */
    public boolean interactionsOnly() {
        return userFields.isEmpty() && itemFields.isEmpty() && other.isEmpty();
    }

    /**
     * One line for people: {@code interactions only}, or e.g. {@code user: age, gender; item: genre;
     * recent items}.
     *
     * @return the description
     */
    public String describe() {
        if (interactionsOnly()) {
            return "interactions only";
        }
        List<String> parts = new ArrayList<>();
        if (!userFields.isEmpty()) {
            parts.add("user: " + String.join(", ", userFields));
        }
        if (!itemFields.isEmpty()) {
            parts.add("item: " + String.join(", ", itemFields));
        }
        parts.addAll(other);
        return String.join("; ", parts);
    }
}
