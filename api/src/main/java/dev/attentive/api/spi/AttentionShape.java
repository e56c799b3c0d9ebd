package dev.attentive.api.spi;

import java.util.List;

/**
 * The inputs an attention is created for.
 *
 * @param fieldNames the names of the input vectors, in input order ({@code fieldCount} of them);
 *     for attention over recent items, positions such as {@code "recent-0"}
 * @param dim the number of components of each input vector
 * @since 0.1.0
 */
public record AttentionShape(List<String> fieldNames, int dim) {
    /** Validates and copies. */
    public AttentionShape {
        fieldNames = List.copyOf(fieldNames);
        if (fieldNames.isEmpty()) {
            throw new IllegalArgumentException("An attention needs at least one field");
        }
        if (dim < 1) {
            throw new IllegalArgumentException("dim must be at least 1, got " + dim);
        }
    }

    /**
     * The number of input vectors.
     *
     * @return the field count
     */
    public int fieldCount() {
        return fieldNames.size();
    }
}
