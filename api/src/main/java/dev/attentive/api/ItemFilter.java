package dev.attentive.api;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A predicate over item attributes, applied by retrievers <em>during</em> the search (never to a
 * truncated result). Filters are immutable values; {@link #matches(Features)} is the reference
 * semantics every retriever must agree with.
 *
 * <p>A comparison on a field the item does not have never matches. A multi-valued field matches
 * {@link Equals} or {@link In} when any of its values does.
 *
 * @since 0.1.0
 */
public sealed interface ItemFilter {

    /**
     * Whether an item with these attributes passes the filter.
     *
     * @param attributes the item's attributes
     * @return true when the item may be returned
     */
    boolean matches(Features attributes);

    /**
     * Checks this filter against the item attributes a catalogue has: every field it names exists,
     * and {@link Equals}/{@link In} compare categorical (or multi-categorical) fields while
     * {@link Range} compares numeric ones. A filter that fails this check could only ever return
     * nothing (or everything, under {@link Not}), so recommenders reject it instead of answering.
     *
     * @param schema the catalogue's item schema
     * @throws IllegalArgumentException naming the field, what the filter expected and the fields
     *     the schema has
     * @since 0.2.0
     */
    default void checkAgainst(FeatureSchema schema) {
        Objects.requireNonNull(schema, "schema");
        switch (this) {
            case All a -> { }
            case Equals e -> checkField(schema, e.field(), false, "equalTo");
            case In i -> checkField(schema, i.field(), false, "in");
            case Range r -> checkField(schema, r.field(), true, "range");
            case And a -> a.filters().forEach(f -> f.checkAgainst(schema));
            case Or o -> o.filters().forEach(f -> f.checkAgainst(schema));
            case Not n -> n.filter().checkAgainst(schema);
        }
    }

    private static void checkField(FeatureSchema schema, String field, boolean numeric, String operation) {
        FieldSpec spec = schema.field(field).orElseThrow(() -> new IllegalArgumentException("Filter " + operation
                + " names unknown item field '" + field + "'; the catalogue's item fields are " + describe(schema)));
        boolean isNumeric = spec.type() == FeatureType.NUMERIC;
        if (numeric != isNumeric) {
            throw new IllegalArgumentException("Filter " + operation + " on item field '" + field + "' needs a "
                    + (numeric ? "numeric" : "categorical or multi-categorical") + " field, but '" + field + "' is "
                    + spec.type() + (numeric ? "; use equalTo or in" : "; use range") + ". The catalogue's item fields are "
                    + describe(schema));
        }
    }

    private static String describe(FeatureSchema schema) {
        if (schema.fields().isEmpty()) {
            return "none (the items have no attributes to filter on)";
        }
        StringBuilder out = new StringBuilder("[");
        for (FieldSpec f : schema.fields()) {
            out.append(out.length() > 1 ? ", " : "").append(f.name()).append(' ').append(f.type());
        }
        return out.append(']').toString();
    }

    /**
     * The filter that keeps every item.
     *
     * @return the filter
     */
    static ItemFilter all() {
        return All.INSTANCE;
    }

    /**
     * Keeps items whose categorical field equals the value.
     *
     * @param field the field name
     * @param value the category
     * @return the filter
     */
    static ItemFilter equalTo(String field, String value) {
        return new Equals(field, value);
    }

    /**
     * Keeps items whose categorical field is one of the values.
     *
     * @param field the field name
     * @param values the categories
     * @return the filter
     */
    static ItemFilter in(String field, Set<String> values) {
        return new In(field, values);
    }

    /**
     * Keeps items whose numeric field lies in {@code [min, max]}.
     *
     * @param field the field name
     * @param min the inclusive lower bound
     * @param max the inclusive upper bound
     * @return the filter
     */
    static ItemFilter range(String field, double min, double max) {
        return new Range(field, min, max);
    }

    /**
     * Keeps items that every filter keeps.
     *
     * @param filters the filters
     * @return the filter
     */
    static ItemFilter and(ItemFilter... filters) {
        return new And(List.of(filters));
    }

    /**
     * Keeps items that any filter keeps.
     *
     * @param filters the filters
     * @return the filter
     */
    static ItemFilter or(ItemFilter... filters) {
        return new Or(List.of(filters));
    }

    /**
     * Keeps items the filter drops.
     *
     * @param filter the filter
     * @return the filter
     */
    static ItemFilter not(ItemFilter filter) {
        return new Not(filter);
    }

    /**
     * Keeps every item.
     *
     * @since 0.1.0
     */
    enum All implements ItemFilter {
        /** The single instance. */
        INSTANCE;

        @Override
        public boolean matches(Features attributes) {
            return true;
        }
    }

    /**
     * Field equals value.
     *
     * @param field the field name
     * @param value the category
     * @since 0.1.0
     */
    record Equals(String field, String value) implements ItemFilter {
        /** Validates. */
        public Equals {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean matches(Features attributes) {
            return attributes.get(field).map(v -> switch (v) {
                case FeatureValue.Categorical c -> c.value().equals(value);
                case FeatureValue.MultiCategorical m -> m.values().contains(value);
                case FeatureValue.Numeric n -> false;
            }).orElse(false);
        }
    }

    /**
     * Field is one of the values.
     *
     * @param field the field name
     * @param values the categories, copied
     * @since 0.1.0
     */
    record In(String field, Set<String> values) implements ItemFilter {
        /** Validates and copies. */
        public In {
            Objects.requireNonNull(field, "field");
            values = Set.copyOf(values);
        }

        @Override
        public boolean matches(Features attributes) {
            return attributes.get(field).map(v -> switch (v) {
                case FeatureValue.Categorical c -> values.contains(c.value());
                case FeatureValue.MultiCategorical m -> m.values().stream().anyMatch(values::contains);
                case FeatureValue.Numeric n -> false;
            }).orElse(false);
        }
    }

    /**
     * Numeric field within inclusive bounds.
     *
     * @param field the field name
     * @param min the inclusive lower bound
     * @param max the inclusive upper bound
     * @since 0.1.0
     */
    record Range(String field, double min, double max) implements ItemFilter {
        /** Validates. */
        public Range {
            Objects.requireNonNull(field, "field");
            if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
                throw new IllegalArgumentException("Range on '" + field + "' needs min <= max, got ["
                        + min + ", " + max + "]");
            }
        }

        @Override
        public boolean matches(Features attributes) {
            return attributes.get(field).map(v -> v instanceof FeatureValue.Numeric n
                    && n.value() >= min && n.value() <= max).orElse(false);
        }
    }

    /**
     * Conjunction.
     *
     * @param filters the filters, copied
     * @since 0.1.0
     */
    record And(List<ItemFilter> filters) implements ItemFilter {
        /** Copies. */
        public And {
            filters = List.copyOf(filters);
        }

        @Override
        public boolean matches(Features attributes) {
            for (ItemFilter f : filters) {
                if (!f.matches(attributes)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Disjunction.
     *
     * @param filters the filters, copied
     * @since 0.1.0
     */
    record Or(List<ItemFilter> filters) implements ItemFilter {
        /** Copies. */
        public Or {
            filters = List.copyOf(filters);
        }

        @Override
        public boolean matches(Features attributes) {
            for (ItemFilter f : filters) {
                if (f.matches(attributes)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Negation.
     *
     * @param filter the negated filter
     * @since 0.1.0
     */
    record Not(ItemFilter filter) implements ItemFilter {
        /** Validates. */
        public Not {
            Objects.requireNonNull(filter, "filter");
        }

        @Override
        public boolean matches(Features attributes) {
            return !filter.matches(attributes);
        }
    }
}
