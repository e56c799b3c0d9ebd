package dev.attentive.api;

import java.util.List;
import java.util.Objects;

/**
 * The value of one feature field for one user or item. A missing value is represented by the
 * field's absence from {@link Features}, never by a sentinel value.
 *
 * @since 0.1.0
 */
public sealed interface FeatureValue {

    /**
     * The type of field that holds this value.
     *
     * @return the feature type
     */
    FeatureType type();

    /**
     * A categorical value.
     *
     * @param value the category, not null
     * @return the value
     */
    static Categorical of(String value) {
        return new Categorical(value);
    }

    /**
     * A numeric value.
     *
     * @param value a finite number
     * @return the value
     */
    static Numeric of(double value) {
        return new Numeric(value);
    }

    /**
     * A multi-valued categorical value.
     *
     * @param values the categories, possibly empty
     * @return the value
     */
    static MultiCategorical of(List<String> values) {
        return new MultiCategorical(values);
    }

    /**
     * One category.
     *
     * @param value the category, not null
     * @since 0.1.0
     */
    record Categorical(String value) implements FeatureValue {
        /** Validates the value. */
        public Categorical {
            Objects.requireNonNull(value, "categorical value");
        }

        @Override
        public FeatureType type() {
            return FeatureType.CATEGORICAL;
        }
    }

    /**
     * Any number of categories, without duplicates being significant.
     *
     * @param values the categories, copied, possibly empty
     * @since 0.1.0
     */
    record MultiCategorical(List<String> values) implements FeatureValue {
        /** Validates and copies the values. */
        public MultiCategorical {
            values = List.copyOf(values);
        }

        @Override
        public FeatureType type() {
            return FeatureType.MULTI_CATEGORICAL;
        }
    }

    /**
     * A real number.
     *
     * @param value a finite number
     * @since 0.1.0
     */
    record Numeric(double value) implements FeatureValue {
        /** Validates the value. */
        public Numeric {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("A numeric feature value must be finite, got " + value);
            }
        }

        @Override
        public FeatureType type() {
            return FeatureType.NUMERIC;
        }
    }
}
