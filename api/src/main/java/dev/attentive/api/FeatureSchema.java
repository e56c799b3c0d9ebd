package dev.attentive.api;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ordered fields of a user or item feature table.
 *
 * @param fields the fields, in a stable order, with unique names
 * @since 0.1.0
 */
public record FeatureSchema(List<FieldSpec> fields) {
    /** The schema with no fields. */
    public static final FeatureSchema EMPTY = new FeatureSchema(List.of());

    /** Validates and copies the fields. */
    public FeatureSchema {
        fields = List.copyOf(fields);
        Set<String> seen = new HashSet<>();
        for (FieldSpec field : fields) {
            if (!seen.add(field.name())) {
                throw new IllegalArgumentException("Duplicate field '" + field.name() + "' in schema " + fields);
            }
        }
    }

    /**
     * A schema of the given fields.
     *
     * @param fields the fields
     * @return the schema
     */
    public static FeatureSchema of(FieldSpec... fields) {
        return new FeatureSchema(List.of(fields));
    }

    /**
     * Looks a field up by name.
     *
     * @param name the field name
     * @return the field, or empty when the schema has none of that name
     */
    public Optional<FieldSpec> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /**
     * The field names, in order.
     *
     * @return the names
     */
    public List<String> names() {
        return fields.stream().map(FieldSpec::name).toList();
    }

    /**
     * Checks that a row conforms: every value names a field of this schema and has its type.
     *
     * @param features the row
     * @param where what the row describes, for the error message (e.g. {@code "item 42"})
     * @throws IllegalArgumentException naming the field and what was expected
     */
    public void check(Features features, String where) {
        for (var entry : features.values().entrySet()) {
            FieldSpec spec = field(entry.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    "Unknown field '" + entry.getKey() + "' in " + where + "; the schema has "
                            + names().stream().collect(Collectors.joining(", ", "[", "]"))));
            if (spec.type() != entry.getValue().type()) {
                throw new IllegalArgumentException("Field '" + spec.name() + "' of " + where + " has a "
                        + entry.getValue().type() + " value, but the schema declares " + spec.type());
            }
        }
    }
}
