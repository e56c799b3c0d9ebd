package dev.attentive.eval.split;

import dev.attentive.api.Dataset;
import java.util.Objects;

/**
 * A train / validation / test split of one dataset. The three parts share the feature tables.
 *
 * @param train the training interactions, not empty
 * @param valid the validation interactions (may be empty only when a protocol has none)
 * @param test the test interactions
 */
public record Split(Dataset train, Dataset valid, Dataset test) {
    /** Validates. */
    public Split {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(valid, "valid");
        Objects.requireNonNull(test, "test");
        if (train.interactions().isEmpty()) {
            throw new IllegalArgumentException("The split of " + train.name()
                    + " has an empty training part; use more data or a looser filter");
        }
    }
}
