package dev.attentive.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The feature values of one user, item or request context, by field name. A field that is absent
 * is missing.
 *
 * @param values the values by field name, copied, in insertion order
 * @since 0.1.0
 */
public record Features(Map<String, FeatureValue> values) {
    /** No features. */
    public static final Features NONE = new Features(Map.of());

    /** Validates and copies the values. */
    public Features {
        Objects.requireNonNull(values, "values");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        values.forEach((k, v) -> {
            Objects.requireNonNull(k, "field name");
            Objects.requireNonNull(v, () -> "value of field " + k);
        });
    }

    /**
     * The value of a field.
     *
     * @param field the field name
     * @return the value, or empty when missing
     */
    public Optional<FeatureValue> get(String field) {
        return Optional.ofNullable(values.get(field));
    }

    /**
     * A builder of feature rows.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link Features} row; not thread safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final Map<String, FeatureValue> values = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets a categorical value.
         *
         * @param field the field name
         * @param value the category
         * @return this builder
         */
        public Builder categorical(String field, String value) {
            values.put(field, FeatureValue.of(value));
            return this;
        }

        /**
         * Sets a multi-valued categorical value.
         *
         * @param field the field name
         * @param values the categories
         * @return this builder
         */
        public Builder multi(String field, List<String> values) {
            this.values.put(field, FeatureValue.of(values));
            return this;
        }

        /**
         * Sets a numeric value.
         *
         * @param field the field name
         * @param value the number
         * @return this builder
         */
        public Builder numeric(String field, double value) {
            values.put(field, FeatureValue.of(value));
            return this;
        }

        /**
         * Sets any value.
         *
         * @param field the field name
         * @param value the value
         * @return this builder
         */
        public Builder put(String field, FeatureValue value) {
            values.put(field, value);
            return this;
        }

        /**
         * Builds the row.
         *
         * @return the features
         */
        public Features build() {
            return new Features(values);
        }
    }
}
