package dev.attentive.attention;

import dev.attentive.api.Attention;
import dev.attentive.api.Explanation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Turns one row of an attention pass's weights into the ranked {@link Explanation.Weight} lists of
 * an {@link Explanation}: field names (or history item ids) with their weights, highest first,
 * ties in input order. Fields that weigh exactly 0 (masked fields, missing history positions) are
 * left out, so the listed weights still sum to 1 (or the list is empty for a row with no present
 * field). Stateless and thread safe; no argument may be null.
 *
 * <p>Note that {@code concat-mlp}'s weights are uniform placeholders and explain nothing.
 */
public final class AttentionExplanations {
    private AttentionExplanations() {
    }

    /**
     * Ranks one row of a pass's weights.
     *
     * @param names the name of each field, in the attention's input order ({@code fieldCount} of them)
     * @param pass a forward pass
     * @param row the row, {@code 0 <= row < pass.batch()}
     * @return the non-zero weights, highest first
     * @throws IllegalArgumentException when the names do not match the pass's field count or the row is out of range
     */
    public static List<Explanation.Weight> ranked(List<String> names, Attention.Pass pass, int row) {
        Objects.requireNonNull(pass, "pass");
        Objects.requireNonNull(names, "names");
        int batch = pass.batch();
        if (batch == 0 || pass.weights().length % batch != 0 || pass.weights().length / batch != names.size()) {
            throw new IllegalArgumentException("The pass has " + pass.weights().length + " weights for " + batch
                    + " rows but " + names.size() + " field names were given; pass the attention's field names");
        }
        if (row < 0 || row >= batch) {
            throw new IllegalArgumentException("row " + row + " is outside the pass's " + batch + " rows");
        }
        return ranked(names, pass.weights(), row * names.size());
    }

    /**
     * Ranks {@code names.size()} weights starting at {@code offset}.
     *
     * @param names the name of each weight
     * @param weights the weights array
     * @param offset where the row starts in {@code weights}
     * @return the non-zero weights, highest first
     * @throws IllegalArgumentException when the row does not fit in {@code weights} or a weight is
     *     negative or not finite
     */
    public static List<Explanation.Weight> ranked(List<String> names, float[] weights, int offset) {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(weights, "weights");
        if (offset < 0 || (long) offset + names.size() > weights.length) {
            throw new IllegalArgumentException("A row of " + names.size() + " weights at offset " + offset
                    + " does not fit in " + weights.length + " weights");
        }
        List<Explanation.Weight> out = new ArrayList<>();
        for (int f = 0; f < names.size(); f++) {
            float w = weights[offset + f];
            if (!(w >= 0) || Float.isInfinite(w)) {
                throw new IllegalArgumentException("Weight of '" + names.get(f) + "' is " + w
                        + "; attention weights must be finite and >= 0");
            }
            if (w > 0) {
                out.add(new Explanation.Weight(names.get(f), w));
            }
        }
        out.sort(Comparator.comparingDouble(Explanation.Weight::value).reversed()); // stable: ties keep input order
        return List.copyOf(out);
    }

    /**
     * The {@code k} highest weights of one row, for the top-weighted history items.
     *
     * @param names the name of each field or history item
     * @param pass a forward pass
     * @param row the row
     * @param k how many to keep, at least 0
     * @return at most {@code k} non-zero weights, highest first
     * @throws IllegalArgumentException as {@link #ranked(List, Attention.Pass, int)}, or for a negative {@code k}
     */
    public static List<Explanation.Weight> top(List<String> names, Attention.Pass pass, int row, int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, got " + k);
        }
        List<Explanation.Weight> all = ranked(names, pass, row);
        return all.size() <= k ? all : List.copyOf(all.subList(0, k));
    }
}
