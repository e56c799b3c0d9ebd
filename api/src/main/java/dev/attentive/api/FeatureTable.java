package dev.attentive.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A table of feature rows keyed by user or item id, with the schema every row conforms to.
 *
 * @param <K> the key type, {@link UserId} or {@link ItemId}
 * @param schema the schema of the rows
 * @param rows the rows by id, copied, in insertion order
 * @since 0.1.0
 */
public record FeatureTable<K>(FeatureSchema schema, Map<K, Features> rows) {
    /** Validates every row against the schema and copies the rows. */
    public FeatureTable {
        Objects.requireNonNull(schema, "schema");
        rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
        for (var entry : rows.entrySet()) {
            schema.check(entry.getValue(), "row " + entry.getKey());
        }
    }

    /**
     * An empty table with an empty schema.
     *
     * @param <K> the key type
     * @return the table
     */
    public static <K> FeatureTable<K> empty() {
        return new FeatureTable<>(FeatureSchema.EMPTY, Map.of());
    }

    /**
     * The features of one row.
     *
     * @param key the id
     * @return the row, or {@link Features#NONE} when the table has no row for it
     */
    public Features get(K key) {
        return rows.getOrDefault(key, Features.NONE);
    }
}
