package dev.attentive.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name and type of one feature field.
 *
 * @param name the field name: letters, digits, {@code _}, {@code -} or {@code .}, starting with a letter
 * @param type the type of its values
 * @since 0.1.0
 */
public record FieldSpec(String name, FeatureType type) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");

    /** Validates the field. */
    public FieldSpec {
        Objects.requireNonNull(name, "field name");
        Objects.requireNonNull(type, "field type");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid field name '" + name
                    + "': use letters, digits, '_', '-' or '.', starting with a letter");
        }
    }

    /**
     * A categorical field.
     *
     * @param name the field name
     * @return the spec
     */
    public static FieldSpec categorical(String name) {
        return new FieldSpec(name, FeatureType.CATEGORICAL);
    }

    /**
     * A multi-valued categorical field.
     *
     * @param name the field name
     * @return the spec
     */
    public static FieldSpec multiCategorical(String name) {
        return new FieldSpec(name, FeatureType.MULTI_CATEGORICAL);
    }

    /**
     * A numeric field.
     *
     * @param name the field name
     * @return the spec
     */
    public static FieldSpec numeric(String name) {
        return new FieldSpec(name, FeatureType.NUMERIC);
    }
}
